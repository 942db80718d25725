using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Api;

/// <summary><c>GET /healthz</c>: 200 when ingest and storage work, 503 with every reason otherwise.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(ApiRoutes.Health, CheckAsync)
            .WithTags("Health")
            .WithSummary("200 when MQTT ingest and storage work; 503 listing the problems otherwise.")
            .Produces<HealthReport>(StatusCodes.Status200OK)
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> CheckAsync(
        MqttIngestClient ingest,
        ITimeSeriesStore store,
        IngestCounters counters,
        IngestPipeline pipeline,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (!ingest.IsConnected)
        {
            problems.Add("MQTT ingest is not connected to the broker.");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await store.PingAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            problems.Add($"Storage does not answer: {exception.Message}");
        }

        if (counters.LastStoreFailure is { } failed && (counters.LastStoreWrite is not { } written || failed > written))
        {
            problems.Add($"The last store write failed at {failed:O}.");
        }

        if (pipeline.Depth >= IngestPipeline.Capacity)
        {
            problems.Add("The ingest pipeline is full: stages are not keeping up.");
        }

        var report = new HealthReport(problems.Count == 0 ? "ok" : "unhealthy", problems);
        return problems.Count == 0
            ? TypedResults.Ok(report)
            : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
