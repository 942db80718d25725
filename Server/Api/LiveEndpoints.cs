using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clovers.Monitor.Server.Api;

/// <summary>The read-only REST API of live state, history, agents and ingest diagnostics.</summary>
public static class LiveEndpoints
{
    public const int DefaultMaxPoints = 500;
    public const int MaxMaxPoints = 10_000;
    public static readonly TimeSpan DefaultHistoryRange = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxHistoryRange = TimeSpan.FromDays(3660);

    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(string.Empty).WithTags("Live");

        api.MapGet(ApiRoutes.Info, (ServerIdentity identity) => TypedResults.Ok(identity.ToInfo()))
            .WithSummary("Version, start time and whether the platform is simulated.");

        api.MapGet(ApiRoutes.Channels, (LiveStateStore live) => TypedResults.Ok<IReadOnlyList<ChannelState>>(live.Snapshot().Channels))
            .WithSummary("Every declared channel with metadata, latest value, time and status.");

        api.MapGet(ApiRoutes.Agents, (LiveStateStore live) => TypedResults.Ok<IReadOnlyList<AgentInfo>>(live.Snapshot().Agents))
            .WithSummary("Every known agent: online, stale or offline, last seen, version.");

        api.MapGet(ApiRoutes.Channels + "/{id}/history", GetHistoryAsync)
            .WithSummary("One channel over [from, to) in at most maxPoints buckets with min, max and mean; empty buckets are gaps.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(
                ApiRoutes.IngestDiagnostics,
                (IngestCounters counters, IngestPipeline pipeline, IEnumerable<IIngestStage> stages) =>
                    TypedResults.Ok(counters.Snapshot(QueueDepths(pipeline, stages))))
            .WithSummary("Messages received, accepted and rejected by reason and source; queue depths; store write latency.");

        return app;
    }

    public static IReadOnlyDictionary<string, int> QueueDepths(IngestPipeline pipeline, IEnumerable<IIngestStage> stages)
    {
        var depths = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["pipeline"] = pipeline.Depth };
        foreach (var stage in stages)
        {
            depths[stage.Name] = stage.QueueDepth;
        }

        return depths;
    }

    private static async Task<Results<Ok<ChannelHistory>, ValidationProblem, ProblemHttpResult>> GetHistoryAsync(
        string id,
        string? from,
        string? to,
        string? maxPoints,
        LiveStateStore live,
        ITimeSeriesStore store,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ProtocolRules.IsValidChannelId(id))
        {
            errors["id"] = [$"not a channel id (pattern {ProtocolRules.ChannelIdPattern})."];
        }

        var toTime = QueryParsing.ParseTime(to, "to", errors) ?? time.GetUtcNow();
        var fromTime = QueryParsing.ParseTime(from, "from", errors) ?? toTime - DefaultHistoryRange;
        var points = QueryParsing.ParseInt(maxPoints, "maxPoints", 1, MaxMaxPoints, errors) ?? DefaultMaxPoints;
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            if (fromTime >= toTime)
            {
                errors["from"] = ["must be earlier than 'to'."];
            }
            else if (toTime - fromTime > MaxHistoryRange)
            {
                errors["from"] = [$"the range may span at most {MaxHistoryRange.TotalDays:0} days."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid history query");
        }

        if (live.Find(id) is not { } channel)
        {
            return TypedResults.Problem($"No channel '{id}' has been declared by any agent.", statusCode: StatusCodes.Status404NotFound, title: "Unknown channel");
        }

        var result = await store.QueryAsync(id, fromTime, toTime, points, cancellationToken);
        return TypedResults.Ok(new ChannelHistory(id, channel.Unit, fromTime, toTime, result.BucketWidth.TotalSeconds, result.Buckets));
    }
}
