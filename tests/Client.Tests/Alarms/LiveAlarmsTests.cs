using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Live;
using Microsoft.Extensions.Time.Testing;
using static Clovers.Monitor.Client.Tests.Alarms.TestAlarms;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Alarms;

/// <summary>Alarms in the live-data service, against a real SignalR hub on loopback.</summary>
public sealed class LiveAlarmsTests : LiveServiceTestBase
{
    protected override LiveSnapshot InitialSnapshot() =>
        new LiveSnapshot(Now, false, Platform(), [Agent("platform")])
        {
            Alarms = [Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning)],
        };

    [Fact]
    public async Task StartAsync_SnapshotHasAlarms_TakesThem()
    {
        await StartAndWaitForSnapshotAsync();

        Assert.Equal(["cryo.temp.sd1.high-warn"], Live.Alarms.Keys);
    }

    [Fact]
    public async Task AlarmsUpdated_NewAlarm_IsAdded()
    {
        await StartAndWaitForSnapshotAsync();

        await HubServer.Hub.Clients.All.AlarmsUpdated([Alarm(HvTrip, AlarmSeverity.Critical, since: Now)]);

        await Eventually(() => Live.Alarms.ContainsKey(HvTrip));
        Assert.Equal(AlarmState.ActiveUnacknowledged, Live.Alarms[HvTrip].State);
    }

    [Fact]
    public async Task AlarmsUpdated_Acknowledged_StateIsUpdated()
    {
        await StartAndWaitForSnapshotAsync();

        await HubServer.Hub.Clients.All.AlarmsUpdated([Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning, AlarmState.ActiveAcknowledged, since: Now)]);

        await Eventually(() => Live.Alarms["cryo.temp.sd1.high-warn"].State == AlarmState.ActiveAcknowledged);
    }

    [Fact]
    public async Task AlarmsUpdated_Normal_IsRemoved()
    {
        await StartAndWaitForSnapshotAsync();

        await HubServer.Hub.Clients.All.AlarmsUpdated([Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning, AlarmState.Normal, since: Now)]);

        await Eventually(() => Live.Alarms.Count == 0);
    }

    [Fact]
    public async Task AlarmsUpdated_Pushed_NotifiesSubscribersWithinOneInterval()
    {
        var notifications = 0;
        using var subscription = Live.SubscribeChanged(() => { Interlocked.Increment(ref notifications); return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();
        Clock.Advance(LiveDataService.NotifyInterval);
        await Eventually(() => notifications == 1);

        await HubServer.Hub.Clients.All.AlarmsUpdated([Alarm(HvTrip, AlarmSeverity.Critical, since: Now)]);
        await Eventually(() => Live.Alarms.ContainsKey(HvTrip));
        Clock.Advance(LiveDataService.NotifyInterval);

        await Eventually(() => notifications == 2);
    }

    [Fact]
    public async Task ConnectionDropped_Reconnects_FreshSnapshotReplacesTheAlarms()
    {
        await StartAndWaitForSnapshotAsync();
        await HubServer.Hub.Clients.All.AlarmsUpdated([Alarm(HvTrip, AlarmSeverity.Critical, since: Now)]);
        await Eventually(() => Live.Alarms.ContainsKey(HvTrip));
        HubServer.State.Snapshot = HubServer.State.Snapshot with { Alarms = [Alarm("veto.rate.low", AlarmSeverity.Major)] };

        HubServer.DropConnections();

        await Eventually(() => HubServer.State.Subscriptions == 2 && Live.ConnectionState == LiveConnectionState.Connected);
        Assert.Equal(["veto.rate.low"], Live.Alarms.Keys);
    }
}
