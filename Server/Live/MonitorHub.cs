using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Clovers.Monitor.Server.Live;

/// <summary>
/// The browser's live connection. A subscription registers the caller first and then answers
/// with the snapshot, so no change can fall between the two; the client drops a delta that is
/// not newer than what its snapshot holds.
/// Reading needs the viewer policy (anonymous while Auth:AnonymousRead is on); a method that acts
/// carries its own stricter <c>[Authorize(Policy = …)]</c>.
/// </summary>
[Authorize(Policy = AuthPolicies.Viewer)]
public sealed class MonitorHub : Hub<IMonitorClient>
{
    public const string AllChannelsGroup = "live:all";
    private const int MaxChannelsPerSubscription = 5000;

    private readonly LiveStateStore _store;
    private readonly LiveSubscriptions _subscriptions;
    private readonly AlarmEngine _alarms;

    public MonitorHub(LiveStateStore store, LiveSubscriptions subscriptions, AlarmEngine alarms)
    {
        _store = store;
        _subscriptions = subscriptions;
        _alarms = alarms;
    }

    [HubMethodName(MonitorHubContract.Subscribe)]
    public async Task<LiveSnapshot> Subscribe(string[]? channelIds)
    {
        if (channelIds is { Length: > MaxChannelsPerSubscription } || channelIds?.Any(id => !ProtocolRules.IsValidChannelId(id)) == true)
        {
            throw new HubException($"Subscribe takes at most {MaxChannelsPerSubscription} valid channel ids.");
        }

        _subscriptions.Register(Context.ConnectionId, channelIds);
        if (channelIds is null || channelIds.Length == 0)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, AllChannelsGroup);
        }
        else
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, AllChannelsGroup);
        }

        // Alarm pushes go to every connection, so a change after this read still arrives as AlarmsUpdated.
        return _store.Snapshot() with { Alarms = _alarms.Active };
    }

    [HubMethodName(MonitorHubContract.Unsubscribe)]
    public async Task Unsubscribe()
    {
        _subscriptions.Remove(Context.ConnectionId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, AllChannelsGroup);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        _subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
