using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Control;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Control;

/// <summary>The demo Server with a short reply timeout: requests go through its embedded broker to the demo agent, whose SCPI driver talks to the supply simulator.</summary>
public sealed class ControlServerFactory : MonitorServerFactory
{
    public ControlServerFactory()
        : base(demo: true)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Control:Hv:ReplyTimeoutSeconds", "1.5");
    }
}

/// <summary>One PMT per test, since the tests share the server and its supply.</summary>
public sealed class ControlApiTests : IClassFixture<ControlServerFactory>
{
    private const string Agent = "platform-sim";
    private readonly ControlServerFactory _factory;
    private readonly HttpClient _http;

    public ControlApiTests(ControlServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClientAs(AuthPolicies.Expert);
    }

    [Fact]
    public async Task PostHv_WithinPolicy_AcceptedAndTheSupplySawExactlyThatCommand()
    {
        await SetpointKnownAsync("sd2b");

        var response = await PostAsync("sd2b", 1520);
        var command = await response.Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ControlOutcome.Accepted, command!.Outcome);
        Assert.Equal(1500, command.OldVolts);
        Assert.Equal(["RAMP 3,10", "VOLT 3,1520"], await SetCommandsAsync(channel: 3));
    }

    [Fact]
    public async Task PostHv_Accepted_WritesAnAuditEntryWithOldValueNewValueAndResult()
    {
        await SetpointKnownAsync("sd1a");
        var id = Guid.NewGuid().ToString("N");

        await PostAsync("sd1a", 1480, id);

        var audit = _factory.Services.GetRequiredService<IAuditLog>();
        var page = await audit.QueryAsync(new AuditQuery(null, null, null, ControlAuditActions.HvSet, 0, 100), CancellationToken.None);
        var entry = Assert.Single(page.Entries, e => e.Detail?.Contains(id, StringComparison.Ordinal) == true);
        Assert.Equal((MonitorServerFactory.TestUserName(AuthPolicies.Expert), "platform-sim/sd1a", "1500 V", "1480 V", "accepted"), (entry.User, entry.Target, entry.OldValue, entry.NewValue, entry.Result));
    }

    [Fact]
    public async Task PostHv_Shifter_Forbidden()
    {
        using var shifter = await _factory.CreateClientAsync(AuthPolicies.Shifter);

        var response = await shifter.PostAsJsonAsync(ControlRoutes.Hv, new HvCommandRequest(Agent, "sd1a", 1500, Guid.NewGuid().ToString("N")), ControlJsonContext.Default.HvCommandRequest);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostHv_AboveTheConfiguredMaximum_Refused422WithTheReasonAndNothingSent()
    {
        await SetpointKnownAsync("sd3a");

        var response = await PostAsync("sd3a", 1700);
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("above the configured maximum of 1650 V", problem, StringComparison.Ordinal);
        Assert.Empty(await SetCommandsAsync(channel: 4));
    }

    [Fact]
    public async Task PostHv_StepLargerThanTheMaximumStep_Refused422WithTheReason()
    {
        await SetpointKnownAsync("sd3b");

        var response = await PostAsync("sd3b", 1560);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("maximum step of 50 V", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await SetCommandsAsync(channel: 5));
    }

    [Fact]
    public async Task PostHv_SameCommandIdTwice_OneVoltCommandAndTheSameAnswer()
    {
        await SetpointKnownAsync("sd4a");
        var id = Guid.NewGuid().ToString("N");

        var first = await (await PostAsync("sd4a", 1490, id)).Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView);
        var second = await (await PostAsync("sd4a", 1490, id)).Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView);

        Assert.Equal(first, second);
        Assert.Single(await SetCommandsAsync(channel: 6), line => line.StartsWith("VOLT ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostHv_AgentDoesNotAnswer_UnknownThenARetryWithTheSameIdIsCarriedOutOnce()
    {
        await SetpointKnownAsync("sd1b");
        var id = Guid.NewGuid().ToString("N");
        (await _http.PostAsync(ApiRoutes.SimulationFaults + "/agent-silent", null)).EnsureSuccessStatusCode();
        ControlCommandView? unknown;
        try
        {
            unknown = await (await PostAsync("sd1b", 1510, id)).Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView);
        }
        finally
        {
            (await _http.DeleteAsync(ApiRoutes.SimulationFaults + "/agent-silent")).EnsureSuccessStatusCode();
        }

        var retried = await Eventually.ReturnsAsync(
            async () => await (await PostAsync("sd1b", 1510, id)).Content.ReadFromJsonAsync(ControlJsonContext.Default.ControlCommandView),
            c => c!.Outcome != ControlOutcome.Unknown,
            TimeSpan.FromSeconds(20));

        Assert.Equal(ControlOutcome.Unknown, unknown!.Outcome);
        Assert.Equal(ControlOutcome.Accepted, retried!.Outcome);
        Assert.Single(await SetCommandsAsync(channel: 1), line => line.StartsWith("VOLT ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostHv_Accepted_DarkRateAlarmsOfThatPmtAreSuppressedByDesign()
    {
        await SetpointKnownAsync("sd4b");

        await PostAsync("sd4b", 1530);

        var active = await Eventually.ReturnsAsync(
            () => _http.GetFromJsonAsync(AlarmRoutes.Active, ApiJsonContext.Default.IReadOnlyListAlarmView)!,
            list => list!.Any(a => a.RuleId == "pmt.sd4b.darkrate.high-warn"),
            TimeSpan.FromSeconds(20));
        Assert.Equal(AlarmState.SuppressedByDesign, active!.Single(a => a.RuleId == "pmt.sd4b.darkrate.high-warn").State);
    }

    [Fact]
    public async Task PostHv_Accepted_ReadbackJudgedAgainstTheNewSetpointOnceRamped()
    {
        await SetpointKnownAsync("sd1a");
        var channels = await _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState);
        var target = channels!.Single(c => c.Id == "pmt.sd1a.hv.set").Value!.Value + 20;

        await PostAsync("sd1a", target);

        var after = await Eventually.ReturnsAsync(
            () => _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState)!,
            list => list!.Any(c => c.Id == "pmt.sd1a.hv.read" && c.Nominal == new Band(target - 2, target + 2) && c.Status == ChannelStatus.Ok),
            TimeSpan.FromSeconds(20));
        Assert.Equal(ChannelStatus.Ok, after!.Single(c => c.Id == "pmt.sd1a.hv.read").Status);
    }

    [Fact]
    public async Task GetCommands_AfterARefusal_ListsItWithItsReason()
    {
        await SetpointKnownAsync("sd2a");
        var id = Guid.NewGuid().ToString("N");
        await PostAsync("sd2a", 1650.5, id);

        var commands = await _http.GetFromJsonAsync(ControlRoutes.Commands, ControlJsonContext.Default.IReadOnlyListControlCommandView);

        var command = Assert.Single(commands!, c => c.CommandId == id);
        Assert.Equal(ControlOutcome.Refused, command.Outcome);
        Assert.Contains("configured maximum", command.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostHv_NoCommandId_400()
    {
        var response = await _http.PostAsJsonAsync(ControlRoutes.Hv, new HvCommandRequest(Agent, "sd1a", 1500, ""), ControlJsonContext.Default.HvCommandRequest);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GetPolicy_Defaults_AnswersTheConfiguredLimits()
    {
        var policy = await _http.GetFromJsonAsync(ControlRoutes.HvPolicy, ControlJsonContext.Default.HvPolicyView);

        Assert.Equal(new HvPolicyView(1650, 50, 10, 1.5), policy);
    }

    private Task<HttpResponseMessage> PostAsync(string pmt, double volts, string? commandId = null) =>
        _http.PostAsJsonAsync(ControlRoutes.Hv, new HvCommandRequest(Agent, pmt, volts, commandId ?? Guid.NewGuid().ToString("N")), ControlJsonContext.Default.HvCommandRequest);

    private Task SetpointKnownAsync(string pmt) =>
        Eventually.ReturnsAsync(
            () => _http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.IReadOnlyListChannelState)!,
            list => list!.Any(c => c.Id == $"pmt.{pmt}.hv.set" && c.Value is not null),
            TimeSpan.FromSeconds(30));

    private async Task<IReadOnlyList<string>> SetCommandsAsync(int channel)
    {
        var log = await _http.GetFromJsonAsync(ControlRoutes.SimulatedSupplyLog, ControlJsonContext.Default.IReadOnlyListString);
        var prefix = FormattableString.Invariant($" {channel},");
        return [.. log!.Where(line => !line.Contains('?', StringComparison.Ordinal) && !line.StartsWith('*') && line.Contains(prefix, StringComparison.Ordinal))];
    }
}
