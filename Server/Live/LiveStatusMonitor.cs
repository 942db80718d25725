using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Live;

/// <summary>Re-evaluates staleness on a timer: silence changes a status with no message to trigger it.</summary>
public sealed class LiveStatusMonitor : BackgroundService
{
    private readonly LiveStateStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly ILogger<LiveStatusMonitor> _logger;

    public LiveStatusMonitor(LiveStateStore store, IOptions<LiveOptions> options, TimeProvider time, ILogger<LiveStatusMonitor> logger)
    {
        _store = store;
        _time = time;
        _period = TimeSpan.FromSeconds(options.Value.StatusRefreshSeconds);
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    _store.RefreshStatuses();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.LogError(exception, "Refreshing live statuses failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
