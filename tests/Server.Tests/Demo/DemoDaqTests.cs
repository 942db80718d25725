using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Demo;
using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Demo;

/// <summary>The demo with the simulated DAQ beside the platform, its clock an hour per second so drifts show in seconds.</summary>
public sealed class DemoDaqServerFactory : MonitorServerFactory
{
    public DemoDaqServerFactory()
        : base(demo: true)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Daq:Acceleration", "3600");
        builder.UseSetting("Demo:Daq:HistogramIntervalSeconds", "1");
    }
}

public sealed class DemoDaqTests(DemoDaqServerFactory factory) : IClassFixture<DemoDaqServerFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task Start_DemoEnabled_DaqSimPublishesSimulatedHistogramsThroughTheBroker()
    {
        await using var listener = await TestPublisher.ConnectAsync(factory.MqttPort, "daq-listener");
        var first = await listener.ListenAsync(Topics.DaqHistograms("daq-sim"));

        var payload = await first.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var set = JsonSerializer.Deserialize(payload, ProtocolJsonContext.Default.HistogramSet)!;
        Assert.Equal(("daq-sim", true, 16), (set.DaqId, set.Simulated, set.Histograms.Count));
    }

    [Fact]
    public async Task Start_DemoEnabled_DaqSeesThePlatformBeam()
    {
        var simulator = factory.Services.GetRequiredService<DemoDaqService>().Simulator;

        await Eventually.ReturnsAsync(() => Task.FromResult(simulator.ProtonsOnTarget), pot => pot > 1e18, TimeSpan.FromSeconds(30), "protons accumulate at the platform's 140 kW");

        Assert.InRange(simulator.Rates().BeamKilowatts, 0.5, 141);
    }

    [Fact]
    public async Task Faults_PmtGainDriftInjected_LowersTheDriftingPmtGainByMoreThanFivePercent()
    {
        var simulator = factory.Services.GetRequiredService<DemoDaqService>().Simulator;

        var injected = await _http.PostAsync(ApiRoutes.SimulationFaults + "/pmt-gain-drift", null);
        try
        {
            Assert.True(injected.IsSuccessStatusCode, $"{(int)injected.StatusCode}");
            await Eventually.ReturnsAsync(() => Task.FromResult(simulator.GainOf("sd3b")), gain => gain < 0.95 * 5e6, TimeSpan.FromSeconds(30), "the gain of sd3b drifts down");
        }
        finally
        {
            await _http.DeleteAsync(ApiRoutes.SimulationFaults + "/pmt-gain-drift");
        }
    }

    [Fact]
    public async Task Faults_PmtGainDriftInjected_RaisesTheGainAlarmOfTheDriftingPmt()
    {
        var ruleId = DaqChannels.GainDrift("sd3b") + ".warn";
        var expert = await factory.CreateClientAsync(AuthPolicies.Expert);
        var rules = await expert.GetRulesAsync();
        Assert.Contains(rules, r => r.Id == ruleId);

        // The default waits five minutes of wall time for fits to agree; on this accelerated clock
        // the drill shortens it so that the real rule, fed by real fits, fires within seconds.
        var shortened = rules.Select(r => r is LimitRule limit && r.Id == ruleId ? limit with { OnDelay = TimeSpan.FromSeconds(1) } : r).ToArray();
        var saved = await expert.PutRulesAsync(shortened);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        // Drift is measured against the run's first stable fit: the fault starts once that reference exists.
        await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState))!.FirstOrDefault(c => c.Id == DaqChannels.GainDrift("sd3b")),
            drift => drift?.Value is not null,
            TimeSpan.FromSeconds(60),
            "a reference gain of sd3b");
        var injected = await _http.PostAsync(ApiRoutes.SimulationFaults + "/pmt-gain-drift", null);
        try
        {
            Assert.True(injected.IsSuccessStatusCode, $"{(int)injected.StatusCode}");
            await Eventually.ReturnsAsync(
                async () => (
                    Alarm: (await _http.ActiveAsync()).FirstOrDefault(a => a.RuleId == ruleId),
                    Drift: (await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState))!.FirstOrDefault(c => c.Id == DaqChannels.GainDrift("sd3b")),
                    Gain: factory.Services.GetRequiredService<DemoDaqService>().Simulator.GainOf("sd3b")),
                probe => probe.Alarm is not null,
                TimeSpan.FromSeconds(90),
                $"the gain alarm {ruleId} becomes active");
        }
        finally
        {
            await _http.DeleteAsync(ApiRoutes.SimulationFaults + "/pmt-gain-drift");
        }
    }
}
