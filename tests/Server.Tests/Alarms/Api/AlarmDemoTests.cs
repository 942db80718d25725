using System.Net.Http.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Tests.Alarms.Api;

public sealed class AlarmDemoTests : IClassFixture<DemoServerFactory>
{
    private const string TrippedRule = "pmt.sd1a.hv.read.tripped";

    private readonly HttpClient _http;

    public AlarmDemoTests(DemoServerFactory factory)
    {
        _http = factory.CreateClientAs(AuthPolicies.Shifter);
    }

    [Fact]
    public async Task HvTrip_Injected_AlarmAppearsIsAcknowledgedAndFaultClears()
    {
        var rule = Assert.IsType<SetpointDeviationRule>((await _http.GetRulesAsync()).Single(r => r.Id == TrippedRule));
        await Eventually.ReturnsAsync(
            async () => (await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState))!.FirstOrDefault(c => c.Id == rule.Channel)?.Value,
            v => v > DefaultRules.HvArmedVolts,
            TimeSpan.FromSeconds(20),
            "HV up before the fault");

        (await _http.PostAsync(ApiRoutes.SimulationFaults + "/hv-trip", null)).EnsureSuccessStatusCode();
        var alarm = await Eventually.ReturnsAsync(
            async () => (await _http.ActiveAsync()).FirstOrDefault(a => a.RuleId == TrippedRule),
            a => a?.State == AlarmState.ActiveUnacknowledged,
            rule.OnDelay + TimeSpan.FromSeconds(10),
            "the HV-trip alarm within its on-delay");
        var acknowledged = await (await _http.AcknowledgeAsync(TrippedRule, "HV supply reset requested")).ReadViewAsync();
        var cleared = await _http.DeleteAsync(ApiRoutes.SimulationFaults + "/hv-trip");

        Assert.Equal(AlarmSeverity.Critical, alarm!.Severity);
        Assert.Equal(AlarmState.ActiveAcknowledged, acknowledged.State);
        Assert.True(cleared.IsSuccessStatusCode);
    }
}
