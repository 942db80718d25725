using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Alarms.Api;

public sealed class AlarmHubTests : IClassFixture<MonitorServerFactory>
{
    private readonly MonitorServerFactory _factory;
    private readonly HttpClient _http;

    public AlarmHubTests(MonitorServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClientAs(AuthPolicies.Expert);
    }

    [Fact]
    public async Task AlarmsUpdated_AlarmActivates_SubscribedClientReceivesIt()
    {
        var activated = new TaskCompletionSource<AlarmView>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = Connect();
        connection.On<IReadOnlyList<AlarmView>>(nameof(IMonitorClient.AlarmsUpdated), alarms =>
        {
            if (alarms.FirstOrDefault(a => a.RuleId == "hub.push" && a.State == AlarmState.ActiveUnacknowledged) is { } alarm)
            {
                activated.TrySetResult(alarm);
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null);

        await _http.PutRulesAsync(AlarmApiClient.Silence("hub.push"));
        var alarm = await activated.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.StartsWith("hub.push@", alarm.AlarmId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_AlarmActive_SnapshotCarriesIt()
    {
        await _http.PutRulesAsync(AlarmApiClient.Silence("hub.snapshot"));
        await _http.ActiveAlarmAsync("hub.snapshot");
        await using var connection = Connect();
        await connection.StartAsync();

        var snapshot = await connection.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null);

        Assert.Contains(snapshot.Alarms, a => a.RuleId == "hub.snapshot");
    }

    private HubConnection Connect() =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(_factory.Server.BaseAddress, MonitorHubContract.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => _factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
            .Build();
}
