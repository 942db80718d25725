using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Exposure;

/// <summary><c>GET /api/exposure?from=&amp;to=</c>: protons on target, kg·days, expected counts, significance and projections.</summary>
public static class ExposureEndpoints
{
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(3660);

    public static IEndpointRouteBuilder MapExposureApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExposureRoutes.Exposure, GetAsync)
            .WithTags("Exposure")
            .WithSummary("Exposure since the data-taking start (or over [from, to)) from the stored beam power: protons on target, kg·days, expected CEvNS and background, significance, and when 3σ and 5σ are reached at the recent average power.")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<ExposureReport>, ValidationProblem>> GetAsync(
        string? from,
        string? to,
        ExposureCalculator calculator,
        IOptions<ExposureOptions> options,
        ServerIdentity identity,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var toTime = QueryParsing.ParseTime(to, "to", errors) ?? time.GetUtcNow();
        var fromTime = QueryParsing.ParseTime(from, "from", errors) ?? DataTakingStart(options.Value, identity);
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            if (fromTime >= toTime)
            {
                errors["from"] = ["must be earlier than 'to' (is the data-taking start Exposure:Start in the future?)."];
            }
            else if (toTime - fromTime > MaxRange)
            {
                errors["from"] = [$"the range may span at most {MaxRange.TotalDays:0} days."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid exposure query");
        }

        return TypedResults.Ok(await calculator.ComputeAsync(fromTime, toTime, cancellationToken));
    }

    private static DateTimeOffset DataTakingStart(ExposureOptions options, ServerIdentity identity) =>
        ExposureOptions.TryParseStart(options.Start, out var start) ? start : identity.StartedAt;
}
