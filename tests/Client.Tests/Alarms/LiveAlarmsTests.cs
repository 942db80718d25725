using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Clovers.Monitor.Client.Tests.Alarms.TestAlarms;
using static Clovers.Monitor.Client.Tests.Support.TestChannels;

namespace Clovers.Monitor.Client.Tests.Alarms;

/// <summary>Alarms in the live-data service, against a real SignalR hub on loopback.</summary>
public sealed class LiveAlarmsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _time = new(Now);
    private LoopbackMonitorServer _server = null!;
    private HttpClient _http = null!;
    private LiveDataService _service = null!;

    public async Task InitializeAsync()
    {
        var snapshot = new LiveSnapshot(Now, false, Platform(), [Agent("platform")])
        {
            Alarms = [Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning)],
        };
        _server = await LoopbackMonitorServer.StartAsync(snapshot);
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
        _service = new LiveDataService(_http, NullLogger<LiveDataService>.Instance, _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private async Task StartAndWaitForSnapshotAsync()
    {
        await _service.StartAsync();
        await Eventually(() => _service.ConnectionState == LiveConnectionState.Connected);
    }

    [Fact]
    public async Task StartAsync_SnapshotHasAlarms_TakesThem()
    {
        await StartAndWaitForSnapshotAsync();

        Assert.Equal(["cryo.temp.sd1.high-warn"], _service.Alarms.Keys);
    }

    [Fact]
    public async Task AlarmsUpdated_NewAlarm_IsAdded()
    {
        await StartAndWaitForSnapshotAsync();

        await _server.Hub.Clients.All.AlarmsUpdated([Alarm(HvTrip, AlarmSeverity.Critical, since: Now)]);

        await Eventually(() => _service.Alarms.ContainsKey(HvTrip));
        Assert.Equal(AlarmState.ActiveUnacknowledged, _service.Alarms[HvTrip].State);
    }

    [Fact]
    public async Task AlarmsUpdated_Acknowledged_StateIsUpdated()
    {
        await StartAndWaitForSnapshotAsync();

        await _server.Hub.Clients.All.AlarmsUpdated([Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning, AlarmState.ActiveAcknowledged, since: Now)]);

        await Eventually(() => _service.Alarms["cryo.temp.sd1.high-warn"].State == AlarmState.ActiveAcknowledged);
    }

    [Fact]
    public async Task AlarmsUpdated_Normal_IsRemoved()
    {
        await StartAndWaitForSnapshotAsync();

        await _server.Hub.Clients.All.AlarmsUpdated([Alarm("cryo.temp.sd1.high-warn", AlarmSeverity.Warning, AlarmState.Normal, since: Now)]);

        await Eventually(() => _service.Alarms.Count == 0);
    }

    [Fact]
    public async Task AlarmsUpdated_Pushed_NotifiesSubscribersWithinOneInterval()
    {
        var notifications = 0;
        using var subscription = _service.SubscribeChanged(() => { Interlocked.Increment(ref notifications); return Task.CompletedTask; });
        await StartAndWaitForSnapshotAsync();
        _time.Advance(LiveDataService.NotifyInterval);
        await Eventually(() => notifications == 1);

        await _server.Hub.Clients.All.AlarmsUpdated([Alarm(HvTrip, AlarmSeverity.Critical, since: Now)]);
        await Eventually(() => _service.Alarms.ContainsKey(HvTrip));
        _time.Advance(LiveDataService.NotifyInterval);

        await Eventually(() => notifications == 2);
    }

    [Fact]
    public async Task ConnectionDropped_Reconnects_FreshSnapshotReplacesTheAlarms()
    {
        await StartAndWaitForSnapshotAsync();
        await _server.Hub.Clients.All.AlarmsUpdated([Alarm(HvTrip, AlarmSeverity.Critical, since: Now)]);
        await Eventually(() => _service.Alarms.ContainsKey(HvTrip));
        _server.State.Snapshot = _server.State.Snapshot with { Alarms = [Alarm("veto.rate.low", AlarmSeverity.Major)] };

        _server.DropConnections();

        await Eventually(() => _server.State.Subscriptions == 2 && _service.ConnectionState == LiveConnectionState.Connected);
        Assert.Equal(["veto.rate.low"], _service.Alarms.Keys);
    }
}
