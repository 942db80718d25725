using Clovers.Monitor.Server.Storage;

namespace Clovers.Monitor.Server.Tests.Storage.Contract;

/// <summary>
/// The InfluxDB 2 server the Influx tests run against, named by environment variables. Without
/// <c>CLOVERS_INFLUX_URL</c> those tests are skipped; with it, the other three must be set too.
/// </summary>
public static class InfluxEnvironment
{
    public const string UrlVariable = "CLOVERS_INFLUX_URL";
    public const string TokenVariable = "CLOVERS_INFLUX_TOKEN";
    public const string OrgVariable = "CLOVERS_INFLUX_ORG";
    public const string BucketVariable = "CLOVERS_INFLUX_BUCKET";

    public const string MissingReason =
        "InfluxDB contract tests skipped: set CLOVERS_INFLUX_URL, CLOVERS_INFLUX_TOKEN, CLOVERS_INFLUX_ORG and CLOVERS_INFLUX_BUCKET to run them";

    public static string? SkipReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(UrlVariable)) ? MissingReason : null;

    /// <summary>The server's options; throws, naming what is missing, when the URL is set without the rest.</summary>
    public static InfluxOptions Options()
    {
        string[] variables = [UrlVariable, TokenVariable, OrgVariable, BucketVariable];
        var missing = variables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"InfluxDB tests need {string.Join(", ", missing)} as well as {UrlVariable}.");
        }

        return new InfluxOptions
        {
            Url = Environment.GetEnvironmentVariable(UrlVariable)!,
            Token = Environment.GetEnvironmentVariable(TokenVariable)!,
            Org = Environment.GetEnvironmentVariable(OrgVariable)!,
            Bucket = Environment.GetEnvironmentVariable(BucketVariable)!,
        };
    }
}

/// <summary>A fact that runs only against a real InfluxDB 2 server (see <see cref="InfluxEnvironment"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class InfluxFactAttribute : FactAttribute
{
    public InfluxFactAttribute()
    {
        Skip = InfluxEnvironment.SkipReason;
    }
}

/// <summary>Skips a contract test class's tests unless an InfluxDB 2 server is named.</summary>
public sealed class InfluxAvailableAttribute : StoreAvailabilityAttribute
{
    public override string? SkipReason => InfluxEnvironment.SkipReason;
}
