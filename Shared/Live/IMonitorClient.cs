namespace Clovers.Monitor.Shared.Live;

/// <summary>
/// What the server pushes to a browser over the monitor hub. The hub is typed with this
/// interface (<c>Hub&lt;IMonitorClient&gt;</c>), so method names are never spelled by hand:
/// clients register handlers with <c>nameof(IMonitorClient.ChannelsUpdated)</c>.
/// </summary>
public interface IMonitorClient
{
    /// <summary>Coalesced changes of subscribed channels: at most one entry per channel.</summary>
    Task ChannelsUpdated(IReadOnlyList<ChannelUpdate> updates);

    /// <summary>Agents whose state changed (online, stale, offline).</summary>
    Task AgentsUpdated(IReadOnlyList<AgentInfo> agents);

    /// <summary>Channels whose status changed without a new value (for example, they went stale).</summary>
    Task StatusesUpdated(IReadOnlyList<ChannelStatusChange> changes);

    /// <summary>
    /// Alarms whose state changed, each as it is now (state <c>normal</c> when it cleared). Sent at
    /// once, never coalesced away: a shifter must see every alarm.
    /// </summary>
    Task AlarmsUpdated(IReadOnlyList<Alarms.AlarmView> alarms);

    /// <summary>
    /// A DAQ's histograms changed: run totals and NPE counts, at most one per second per DAQ, sent
    /// only to connections that called <see cref="MonitorHubContract.SubscribeSpectra"/>.
    /// </summary>
    Task SpectraUpdated(Api.SpectraUpdate update);
}

/// <summary>A channel whose status changed on its own, with no new reading.</summary>
public sealed record ChannelStatusChange(string Id, ChannelStatus Status);

/// <summary>The methods a browser may call on the hub, and where the hub lives.</summary>
public static class MonitorHubContract
{
    public const string Path = "/hubs/monitor";

    /// <summary>
    /// <c>LiveSnapshot Subscribe(string[]? channelIds)</c>: registers the caller for updates of
    /// those channels (all when null or empty) and answers with the current snapshot.
    /// </summary>
    public const string Subscribe = "Subscribe";

    /// <summary><c>void Unsubscribe()</c>: stops updates for the caller.</summary>
    public const string Unsubscribe = "Unsubscribe";

    /// <summary><c>void SubscribeSpectra()</c>: the caller receives <see cref="IMonitorClient.SpectraUpdated"/> pushes.</summary>
    public const string SubscribeSpectra = "SubscribeSpectra";

    /// <summary><c>void UnsubscribeSpectra()</c>: stops spectra pushes for the caller.</summary>
    public const string UnsubscribeSpectra = "UnsubscribeSpectra";
}
