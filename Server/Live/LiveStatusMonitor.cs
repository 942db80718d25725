using Clovers.Monitor.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Live;

/// <summary>Re-evaluates staleness on a timer: silence changes a status with no message to trigger it.</summary>
public sealed class LiveStatusMonitor : PeriodicService
{
    private readonly LiveStateStore _store;

    public LiveStatusMonitor(LiveStateStore store, IOptions<LiveOptions> options, TimeProvider time, ILogger<LiveStatusMonitor> logger)
        : base(TimeSpan.FromSeconds(options.Value.StatusRefreshSeconds), time, logger)
    {
        _store = store;
    }

    protected override void Tick() => _store.RefreshStatuses();
}
