using Microsoft.Extensions.Options;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms;

/// <summary>Ticks the alarm engine: silence, expiring delays and shelves change alarms with no reading to trigger them.</summary>
public sealed class AlarmTimer : BackgroundService
{
    private readonly AlarmEngine _engine;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly ILogger<AlarmTimer> _logger;

    public AlarmTimer(AlarmEngine engine, IOptions<AlarmOptions> options, TimeProvider time, ILogger<AlarmTimer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engine = engine;
        _time = time;
        _period = TimeSpan.FromSeconds(options.Value.TickSeconds);
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
                    _engine.Tick(_time.GetUtcNow());
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    _logger.LogError(exception, "Alarm tick failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
