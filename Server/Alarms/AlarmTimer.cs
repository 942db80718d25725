using Clovers.Monitor.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Alarms;

/// <summary>Ticks the alarm engine: silence, expiring delays and shelves change alarms with no reading to trigger them.</summary>
public sealed class AlarmTimer : PeriodicService
{
    private readonly AlarmEngine _engine;

    public AlarmTimer(AlarmEngine engine, IOptions<AlarmOptions> options, TimeProvider time, ILogger<AlarmTimer> logger)
        : base(TimeSpan.FromSeconds(options.Value.TickSeconds), time, logger)
    {
        _engine = engine;
    }

    protected override void Tick() => _engine.Tick(Time.GetUtcNow());
}
