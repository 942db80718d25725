using System.Net.Http.Json;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Integration;

public sealed class DemoModeTests : IClassFixture<DemoServerFactory>
{
    private readonly DemoServerFactory _factory;
    private readonly HttpClient _http;

    public DemoModeTests(DemoServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    [Fact]
    public async Task Channels_DemoPlatform_ListsAtLeastThirtyLiveChannels()
    {
        var channels = await Eventually.ReturnsAsync(
            () => _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState)!,
            list => list!.Count(c => c.Value is not null) >= 30,
            TimeSpan.FromSeconds(20));

        Assert.Contains(channels!, c => c.Id == "cryo.ln2.level" && c.Unit == "%");
    }

    [Fact]
    public async Task Agents_DemoPlatform_IsOnlineAndSimulated()
    {
        var agents = await Eventually.ReturnsAsync(
            () => _http.GetFromJsonAsync(ApiRoutes.Agents, ApiJsonContext.Default.IReadOnlyListAgentInfo)!,
            list => list!.Any(a => a.Id == "platform-sim" && a.State == AgentState.Online && a.ChannelCount > 0),
            TimeSpan.FromSeconds(20));

        Assert.True(agents!.Single(a => a.Id == "platform-sim").Simulated);
    }

    [Fact]
    public async Task Info_DemoEnabled_SaysSimulation()
    {
        var info = await _http.GetFromJsonAsync(ApiRoutes.Info, ApiJsonContext.Default.ServerInfo);

        Assert.True(info!.Simulation);
    }

    [Fact]
    public async Task Faults_HvTripInjected_TrippedPmtShowsAlarmUntilCleared()
    {
        await Eventually.ReturnsAsync(() => HvReadbackAsync(), c => c?.Status == ChannelStatus.Ok, TimeSpan.FromSeconds(20));

        var injected = await _http.PostAsync(ApiRoutes.SimulationFaults + "/hv-trip", null);
        var tripped = await Eventually.ReturnsAsync(() => HvReadbackAsync(), c => c?.Status == ChannelStatus.Alarm, TimeSpan.FromSeconds(10));
        var state = await injected.Content.ReadFromJsonAsync(ApiJsonContext.Default.SimulationFaultsState);
        var cleared = await (await _http.DeleteAsync(ApiRoutes.SimulationFaults + "/hv-trip")).Content.ReadFromJsonAsync(ApiJsonContext.Default.SimulationFaultsState);

        Assert.Contains("hv-trip", state!.Active);
        Assert.True(tripped!.Value < 1480);
        Assert.DoesNotContain("hv-trip", cleared!.Active);
    }

    [Fact]
    public async Task Faults_AgentSilent_AgentTurnsStaleThenRecovers()
    {
        await _http.PostAsync(ApiRoutes.SimulationFaults + "/agent-silent", null);
        await Eventually.ReturnsAsync(SimulatedAgentAsync, a => a?.State == AgentState.Stale, TimeSpan.FromSeconds(30));

        await _http.DeleteAsync(ApiRoutes.SimulationFaults + "/agent-silent");

        await Eventually.ReturnsAsync(SimulatedAgentAsync, a => a?.State == AgentState.Online, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Faults_UnknownName_Answers404WithTheKnownOnes()
    {
        var response = await _http.PostAsync(ApiRoutes.SimulationFaults + "/meteor-strike", null);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("dewar-warmup", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<ChannelState?> HvReadbackAsync() =>
        (await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState))!.FirstOrDefault(c => c.Id == "pmt.sd1a.hv.read");

    private async Task<AgentInfo?> SimulatedAgentAsync() =>
        (await _http.GetFromJsonAsync(ApiRoutes.Agents, ApiJsonContext.Default.IReadOnlyListAgentInfo))!.FirstOrDefault(a => a.Id == "platform-sim");

    [Fact]
    public async Task Hub_Subscribe_AnswersSnapshotThenPushesChanges()
    {
        await Eventually.ReturnsAsync(
            () => _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState)!,
            list => list!.Count > 0,
            TimeSpan.FromSeconds(20));
        var received = new TaskCompletionSource<IReadOnlyList<ChannelUpdate>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_factory.Server.BaseAddress, MonitorHubContract.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => _factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
            .Build();
        connection.On<IReadOnlyList<ChannelUpdate>>(nameof(IMonitorClient.ChannelsUpdated), updates => received.TrySetResult(updates));
        await connection.StartAsync();

        var snapshot = await connection.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null);
        var updates = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(snapshot.Simulation);
        Assert.NotEmpty(snapshot.Channels);
        Assert.NotEmpty(updates);
        Assert.Equal(updates.Count, updates.Select(u => u.Id).Distinct().Count());
    }
}
