using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage;

/// <summary>Checks the <c>Storage</c> section at start and reports every problem at once.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var problems = new List<string>();
        var isInflux = StorageProviders.IsInfluxDb(options.Provider);
        if (!isInflux && !string.Equals(options.Provider, StorageProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(
                $"{StorageOptions.SectionName}:{nameof(options.Provider)} '{options.Provider}' is unknown; use '{StorageProviders.Sqlite}' or '{StorageProviders.InfluxDb}'.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(options.DataDirectory)} must name a folder.");
        }

        if (options.MaxBatchSize <= 0)
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(options.MaxBatchSize)} must be positive (was {options.MaxBatchSize}).");
        }

        (string Name, TimeSpan Value)[] retentions =
        [
            (nameof(options.RawRetention), options.RawRetention),
            (nameof(options.TenSecondRollupRetention), options.TenSecondRollupRetention),
            (nameof(options.OneMinuteRollupRetention), options.OneMinuteRollupRetention),
            (nameof(options.TenMinuteRollupRetention), options.TenMinuteRollupRetention),
            (nameof(options.OneHourRollupRetention), options.OneHourRollupRetention),
        ];
        foreach (var (retentionName, value) in retentions)
        {
            if (value < TimeSpan.FromHours(1))
            {
                problems.Add($"{StorageOptions.SectionName}:{retentionName} must be at least one hour (was {value}).");
            }
        }

        // A coarser tier serves the ranges a finer one has dropped, so it must keep at least as long.
        for (var i = 1; i < retentions.Length; i++)
        {
            if (retentions[i].Value < retentions[i - 1].Value)
            {
                problems.Add(
                    $"{StorageOptions.SectionName}:{retentions[i].Name} ({retentions[i].Value}) must be at least {retentions[i - 1].Name} ({retentions[i - 1].Value}).");
            }
        }

        if (isInflux)
        {
            ValidateInflux(options.Influx, problems);
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    // Values are not echoed here: a token pasted into the wrong key must not end up in a log.
    private static void ValidateInflux(InfluxOptions influx, List<string> problems)
    {
        const string Prefix = $"{StorageOptions.SectionName}:{InfluxOptions.SectionName}:";
        if (!Uri.TryCreate(influx.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{Prefix}{nameof(influx.Url)} must be an absolute http or https URL of the InfluxDB server.");
        }
        else if (url.UserInfo.Length > 0)
        {
            problems.Add($"{Prefix}{nameof(influx.Url)} must not carry credentials; put the API token in {Prefix}{nameof(influx.Token)}.");
        }

        if (string.IsNullOrWhiteSpace(influx.Org))
        {
            problems.Add($"{Prefix}{nameof(influx.Org)} must name the organization.");
        }

        if (string.IsNullOrWhiteSpace(influx.Bucket))
        {
            problems.Add($"{Prefix}{nameof(influx.Bucket)} must name the bucket.");
        }

        if (string.IsNullOrWhiteSpace(influx.Token))
        {
            problems.Add($"{Prefix}{nameof(influx.Token)} must be set (from an environment variable or a secret store).");
        }

        if (influx.BatchSize <= 0)
        {
            problems.Add($"{Prefix}{nameof(influx.BatchSize)} must be positive (was {influx.BatchSize}).");
        }

        if (influx.FlushIntervalMilliseconds <= 0)
        {
            problems.Add($"{Prefix}{nameof(influx.FlushIntervalMilliseconds)} must be positive (was {influx.FlushIntervalMilliseconds}).");
        }

        if (influx.RetryCount is < 0 or > 10)
        {
            problems.Add($"{Prefix}{nameof(influx.RetryCount)} must be between 0 and 10 (was {influx.RetryCount}).");
        }
    }
}
