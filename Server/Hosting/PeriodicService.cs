namespace Clovers.Monitor.Server.Hosting;

/// <summary>
/// Runs one piece of work on a fixed period for as long as the host runs. A failing tick is
/// logged and the next one runs: the work is re-evaluation of time (staleness, alarm delays),
/// which must never stop because one round went wrong.
/// </summary>
public abstract class PeriodicService : BackgroundService
{
    private readonly TimeSpan _period;
    private readonly ILogger _logger;

    protected PeriodicService(TimeSpan period, TimeProvider time, ILogger logger)
    {
        _period = period;
        Time = time;
        _logger = logger;
    }

    protected TimeProvider Time { get; }

    /// <summary>What to do on each tick.</summary>
    protected abstract void Tick();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_period, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Tick();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.LogError(exception, "{Service} tick failed", GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
