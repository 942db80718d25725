using System.Security.Claims;
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
/// A signed-in caller's connection is kept in <see cref="UserConnections"/> while open, so that
/// disabling the account (or ending its sessions) closes it at once.
/// </summary>
[Authorize(Policy = AuthPolicies.Viewer)]
public sealed class MonitorHub : Hub<IMonitorClient>
{
    public const string AllChannelsGroup = "live:all";
    private const int MaxChannelsPerSubscription = 5000;

    private readonly LiveStateStore _store;
    private readonly LiveSubscriptions _subscriptions;
    private readonly AlarmEngine _alarms;
    private readonly UserConnections _connections;
    private readonly IServiceProvider _services;

    public MonitorHub(LiveStateStore store, LiveSubscriptions subscriptions, AlarmEngine alarms, UserConnections connections, IServiceProvider services)
    {
        _store = store;
        _subscriptions = subscriptions;
        _alarms = alarms;
        _connections = connections;
        _services = services;
    }

    public override async Task OnConnectedAsync()
    {
        var context = Context;
        _connections.Add(context.ConnectionId, context.User, context.Abort);

        // The account may have been disabled between this connection's authentication and now,
        // after the closing sweep already ran: look once more, now that the connection is kept.
        if (context.User?.Identity?.IsAuthenticated == true && !await StillValidAsync(context.User))
        {
            context.Abort();
            return;
        }

        await base.OnConnectedAsync();
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

    /// <summary>The caller receives spectra pushes (<see cref="IMonitorClient.SpectraUpdated"/>) from now on.</summary>
    [HubMethodName(MonitorHubContract.SubscribeSpectra)]
    public Task SubscribeSpectra() => Groups.AddToGroupAsync(Context.ConnectionId, Spectra.SpectraPusher.GroupName);

    [HubMethodName(MonitorHubContract.UnsubscribeSpectra)]
    public Task UnsubscribeSpectra() => Groups.RemoveFromGroupAsync(Context.ConnectionId, Spectra.SpectraPusher.GroupName);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        _subscriptions.Remove(Context.ConnectionId);
        _connections.Remove(Context.ConnectionId, Context.User);
        return base.OnDisconnectedAsync(exception);
    }

    private async Task<bool> StillValidAsync(ClaimsPrincipal user)
    {
        var accounts = _services.GetRequiredService<UserAccounts>();
        var id = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var account = id is null ? null : await accounts.FindByIdAsync(id);
        if (account is null || account.Disabled)
        {
            return false;
        }

        // A session cookie carries the stamp it was issued with; a new password or role changes it.
        var stamp = user.FindFirst(AuthSchemes.SecurityStampClaim)?.Value;
        return stamp is null || string.Equals(stamp, account.SecurityStamp, StringComparison.Ordinal);
    }
}
