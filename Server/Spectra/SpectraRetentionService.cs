using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>Deletes spectrum snapshots older than <see cref="SpectraOptions.SnapshotRetentionDays"/>, at start and then hourly.</summary>
public sealed class SpectraRetentionService(
    SpectraRepository repository,
    IOptions<SpectraOptions> options,
    TimeProvider time,
    ILogger<SpectraRetentionService> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <summary>One pass; returns the rows deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.SnapshotRetentionDays);
        var deleted = await repository.DeleteSnapshotsBeforeAsync(cutoff, cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Rows} spectrum snapshots older than {Cutoff:O}", deleted, cutoff);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            do
            {
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogError(exception, "Deleting old spectrum snapshots failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
