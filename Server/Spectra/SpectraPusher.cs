using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// Pushes spectra to browsers that subscribed (<see cref="MonitorHubContract.SubscribeSpectra"/>),
/// coalesced: per DAQ only the newest update waits, and one DAQ is pushed at most once per
/// <see cref="SpectraOptions.PushIntervalSeconds"/> however fast histograms arrive.
/// </summary>
public sealed class SpectraPusher : BackgroundService
{
    /// <summary>SignalR group of the connections that want spectra.</summary>
    public const string GroupName = "spectra";

    private readonly IHubContext<MonitorHub, IMonitorClient> _hub;
    private readonly TimeProvider _time;
    private readonly ILogger<SpectraPusher> _logger;
    private readonly TimeSpan _interval;
    private readonly Dictionary<string, SpectraUpdate> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastPush = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly WakeUpSignal _signal = new();
    private long _pushed;
    private long _failures;

    public SpectraPusher(IHubContext<MonitorHub, IMonitorClient> hub, IOptions<SpectraOptions> options, TimeProvider time, ILogger<SpectraPusher> logger)
    {
        _hub = hub;
        _time = time;
        _logger = logger;
        _interval = TimeSpan.FromSeconds(options.Value.PushIntervalSeconds);
    }

    public long Pushed => Interlocked.Read(ref _pushed);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Replaces whatever of this DAQ still waits; never blocks.</summary>
    public void Offer(SpectraUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            _pending[update.DaqId] = update;
        }

        _signal.Set();
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stoppingToken);
                while (TakeDue(out var due, out var wait))
                {
                    foreach (var update in due)
                    {
                        await _hub.Clients.Group(GroupName).SpectraUpdated(update);
                        Interlocked.Increment(ref _pushed);
                    }

                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                Interlocked.Increment(ref _failures);
                _logger.LogError(exception, "Pushing spectra to browsers failed");
            }
        }
    }

    /// <summary>Updates whose DAQ may be pushed now, and how long until the next one may; false when nothing waits.</summary>
    private bool TakeDue(out List<SpectraUpdate> due, out TimeSpan wait)
    {
        var now = _time.GetUtcNow();
        due = [];
        wait = TimeSpan.MaxValue;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return false;
            }

            foreach (var (daq, update) in _pending.ToList())
            {
                var next = _lastPush.TryGetValue(daq, out var last) ? last + _interval : now;
                if (next <= now)
                {
                    due.Add(update);
                    _pending.Remove(daq);
                    _lastPush[daq] = now;
                }
                else if (next - now < wait)
                {
                    wait = next - now;
                }
            }

            if (wait == TimeSpan.MaxValue)
            {
                wait = TimeSpan.Zero;
            }

            return true;
        }
    }
}
