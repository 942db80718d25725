using Clovers.Monitor.Server.Diagnostics;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// Reads the pipeline and hands each item to every stage in registration order (live state,
/// then storage, later alarms). A stage that throws is logged and counted; the item still
/// reaches the other stages and the next item is processed.
/// </summary>
public sealed class PipelineDispatcher : BackgroundService
{
    private readonly IngestPipeline _pipeline;
    private readonly IReadOnlyList<IIngestStage> _stages;
    private readonly PerKeyThrottle _rateLimit;
    private readonly ILogger<PipelineDispatcher> _logger;
    private long _stageFailures;

    public PipelineDispatcher(
        IngestPipeline pipeline,
        IEnumerable<IIngestStage> stages,
        TimeProvider time,
        ILogger<PipelineDispatcher> logger)
    {
        _pipeline = pipeline;
        _stages = [.. stages];
        _rateLimit = new PerKeyThrottle(time, TimeSpan.FromSeconds(10));
        _logger = logger;
    }

    public long StageFailures => Interlocked.Read(ref _stageFailures);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _pipeline.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var stage in _stages)
                {
                    try
                    {
                        await stage.ProcessAsync(item, stoppingToken);
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception exception)
                    {
                        Interlocked.Increment(ref _stageFailures);
                        if (_rateLimit.TryPass(stage.Name, out var suppressed))
                        {
                            _logger.LogError(exception, "Stage {Stage} failed on an item from {Agent} ({Suppressed} similar failures not logged)", stage.Name, item.AgentId, suppressed);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
