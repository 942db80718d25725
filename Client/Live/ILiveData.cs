using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.Client.Live;

/// <summary>
/// The live picture of the detector that components render from: the latest state of every
/// channel and agent, kept current over one hub connection. Components subscribe to changes and
/// dispose the returned handle when they go away.
/// </summary>
public interface ILiveData
{
    LiveConnectionState ConnectionState { get; }

    /// <summary>True when the server or any agent says the data is simulated.</summary>
    bool Simulation { get; }

    /// <summary>Server version from <c>/api/info</c>, once known.</summary>
    string? ServerVersion { get; }

    /// <summary>
    /// Server clock minus browser clock, measured at the last snapshot; add it to the local time
    /// to age readings by the server's clock, since a shift laptop's clock may be off.
    /// </summary>
    TimeSpan ServerClockOffset { get; }

    IReadOnlyDictionary<string, ChannelState> Channels { get; }

    IReadOnlyDictionary<string, AgentInfo> Agents { get; }

    /// <summary>
    /// Alarms that are not normal, by rule id: from the snapshot, then kept current by the hub's
    /// alarm pushes (a cleared alarm goes). A reconnect replaces them with the fresh snapshot's.
    /// </summary>
    IReadOnlyDictionary<string, AlarmView> Alarms { get; }

    /// <summary>Connects in the background and keeps reconnecting until disposed; calling it again does nothing.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Called after anything above changed, coalesced to a few calls per second.</summary>
    IDisposable SubscribeChanged(Func<Task> onChanged);

    /// <summary>Called with every batch of channel updates as it arrives, uncoalesced (for charts).</summary>
    IDisposable SubscribeChannelUpdates(Func<IReadOnlyList<ChannelUpdate>, Task> onUpdates);

    /// <summary>
    /// Called after a reconnect with the time the live link was lost: updates between then and
    /// the new snapshot never arrived, so history views re-query that span from the REST API.
    /// </summary>
    IDisposable SubscribeBackfillNeeded(Func<DateTimeOffset, Task> onBackfillNeeded);

    /// <summary>
    /// Called with every spectra push (<see cref="Shared.Live.IMonitorClient.SpectraUpdated"/>) until the
    /// handle is disposed. Histograms are kilobytes a second, so the hub sends them only while at
    /// least one subscriber exists: the first subscription asks the hub for them, disposing the
    /// last one tells the hub to stop, and a reconnect asks again. Subscribers are called apart from
    /// the connection, so a slow one never holds up alarms; while one is busy, only the newest push of
    /// each DAQ waits for it (pushes are cumulative, so nothing is lost).
    /// </summary>
    Task<IAsyncDisposable> SubscribeSpectraAsync(Func<SpectraUpdate, Task> onUpdate, CancellationToken cancellationToken = default);
}
