using Clovers.Monitor.Server.Hosting;

namespace Clovers.Monitor.Server.Diagnostics;

/// <summary>
/// Samples the ingest totals and the allocation counter once a second into a one-minute
/// <see cref="RateWindow"/>, from which the diagnostics document reads its rates.
/// </summary>
public sealed class DiagnosticsSampler : PeriodicService
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly IngestCounters _counters;
    private readonly RateWindow _window = new(Window, capacity: 64);

    public DiagnosticsSampler(IngestCounters counters, TimeProvider time, ILogger<DiagnosticsSampler> logger)
        : base(Period, time, logger)
    {
        _counters = counters;

        // The counters start at zero with the Server, so the first rate needs no wait for a tick;
        // allocations before this point (start-up) are not counted as a rate.
        _window.Add(new RateSample(counters.Since, 0, 0, 0, GC.GetTotalAllocatedBytes()));
    }

    public RateSample Current() =>
        new(Time.GetUtcNow(), _counters.MessagesReceived, _counters.ReadingsAccepted, _counters.ReadingsStored, GC.GetTotalAllocatedBytes());

    public Rates Rates() => _window.Over(Current());

    protected override void Tick() => _window.Add(Current());
}
