using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Live;

/// <summary>
/// Pushes live changes to browsers. Changes are coalesced per channel and released at most once
/// per push interval, so the load on browsers stays flat however fast readings arrive.
/// </summary>
public sealed class HubBroadcaster : BackgroundService, ILiveChangeListener
{
    private readonly IHubContext<MonitorHub, IMonitorClient> _hub;
    private readonly LiveSubscriptions _subscriptions;
    private readonly TimeProvider _time;
    private readonly ILogger<HubBroadcaster> _logger;
    private readonly UpdateCoalescer _coalescer;
    private readonly WakeUpSignal _signal = new();
    private long _pushFailures;

    public HubBroadcaster(
        IHubContext<MonitorHub, IMonitorClient> hub,
        LiveSubscriptions subscriptions,
        IOptions<LiveOptions> options,
        TimeProvider time,
        ILogger<HubBroadcaster> logger)
    {
        _hub = hub;
        _subscriptions = subscriptions;
        _time = time;
        _logger = logger;
        _coalescer = new UpdateCoalescer(TimeSpan.FromMilliseconds(options.Value.PushIntervalMilliseconds));
    }

    public long PushFailures => Interlocked.Read(ref _pushFailures);

    public void ChannelsChanged(IReadOnlyList<ChannelUpdate> updates)
    {
        _coalescer.Offer(updates);
        Signal();
    }

    public void StatusesChanged(IReadOnlyList<ChannelStatusChange> changes)
    {
        _coalescer.Offer(changes);
        Signal();
    }

    public void AgentsChanged(IReadOnlyList<AgentInfo> agents)
    {
        _coalescer.Offer(agents);
        Signal();
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
                while (_coalescer.TryRelease(_time.GetUtcNow(), out var wait) is var changes && (changes is not null || wait > TimeSpan.Zero))
                {
                    if (changes is null)
                    {
                        await Task.Delay(wait, _time, stoppingToken);
                        continue;
                    }

                    await PushAsync(changes);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                Interlocked.Increment(ref _pushFailures);
                _logger.LogError(exception, "Pushing live changes to browsers failed");
            }
        }
    }

    private void Signal() => _signal.Set();

    private async Task PushAsync(CoalescedChanges changes)
    {
        var everyone = _hub.Clients.Group(MonitorHub.AllChannelsGroup);
        if (changes.Agents.Count > 0)
        {
            await _hub.Clients.All.AgentsUpdated(changes.Agents);
        }

        if (changes.Updates.Count > 0)
        {
            await everyone.ChannelsUpdated(changes.Updates);
        }

        if (changes.Statuses.Count > 0)
        {
            await everyone.StatusesUpdated(changes.Statuses);
        }

        foreach (var (connectionId, channels) in _subscriptions.All)
        {
            if (channels is null)
            {
                continue;
            }

            var client = _hub.Clients.Client(connectionId);
            var updates = changes.Updates.Where(u => channels.Contains(u.Id)).ToList();
            if (updates.Count > 0)
            {
                await client.ChannelsUpdated(updates);
            }

            var statuses = changes.Statuses.Where(s => channels.Contains(s.Id)).ToList();
            if (statuses.Count > 0)
            {
                await client.StatusesUpdated(statuses);
            }
        }
    }
}
