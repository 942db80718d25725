using System.Globalization;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Tests.Alarms.Api;
using Clovers.Monitor.Server.Tests.Notifications;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.AspNetCore.Hosting;
using MimeKit;

namespace Clovers.Monitor.Server.Tests.Integration;

/// <summary>
/// The alarm drill a shift rehearses, end to end through the whole Server: a Dewar warm-up is injected,
/// the crystal temperature alarm goes out by e-mail and webhook, is acknowledged, and clears with the fault.
/// </summary>
public sealed class AlarmDrillTests
{
    private const string DewarWarmup = "dewar-warmup";
    private const string AckComment = "Drill: LN2 transfer checked, Dewar topped up";

    private static readonly string s_crystalAlarm = SimulatedChannels.CrystalTemperature(1) + ".high-alarm";

    // The whole drill must stay well inside this: every wait below is bounded by what is left of it.
    private static readonly TimeSpan s_drillBudget = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DewarWarmup_InjectedAcknowledgedAndCleared_AlarmNotifiedAndReturnsToNormal()
    {
        var deadline = DateTime.UtcNow + s_drillBudget;
        await using var smtp = new SmtpTestServer(MonitorServerFactory.FreeTcpPort());
        await using var webhook = new WebhookTestListener(MonitorServerFactory.FreeTcpPort());
        await using var factory = new DrillServerFactory(smtp.Port, webhook.Url);
        using var http = await factory.CreateClientAsync(AuthPolicies.Expert);

        await ShortenOffDelayAsync(http);
        (await http.PostAsync(ApiRoutes.SimulationFaults + "/" + DewarWarmup, null)).EnsureSuccessStatusCode();
        var raised = await Eventually.ReturnsAsync(
            async () => (await http.ActiveAsync()).FirstOrDefault(a => a.RuleId == s_crystalAlarm),
            a => a?.State == AlarmState.ActiveUnacknowledged,
            Remaining(deadline),
            "crystal temperature alarm raised by the warm-up");
        var email = await FirstEmailMentioningAsync(smtp, s_crystalAlarm, deadline);
        var hook = await FirstWebhookMentioningAsync(webhook, s_crystalAlarm, deadline);
        var acknowledged = await (await http.AcknowledgeAsync(s_crystalAlarm, AckComment)).ReadViewAsync();
        (await http.DeleteAsync(ApiRoutes.SimulationFaults + "/" + DewarWarmup)).EnsureSuccessStatusCode();
        await Eventually.ReturnsAsync(
            async () => (await http.ActiveAsync()).Any(a => a.RuleId == s_crystalAlarm),
            active => !active,
            Remaining(deadline),
            "crystal temperature alarm back to normal after the fault cleared");

        // The history writer stores transitions in batches behind the engine: wait for the last one.
        var history = await Eventually.ReturnsAsync(
            () => http.HistoryAsync("?ruleId=" + Uri.EscapeDataString(s_crystalAlarm)),
            entries => entries.Any(h => h.From == AlarmState.ActiveAcknowledged && h.To == AlarmState.Normal),
            Remaining(deadline),
            "the return to normal recorded in the alarm history");

        Assert.Equal(AlarmSeverity.Major, raised!.Severity);
        Assert.Contains(s_crystalAlarm, email.TextBody, StringComparison.Ordinal);
        Assert.Contains(s_crystalAlarm, hook, StringComparison.Ordinal);
        Assert.Equal(AlarmState.ActiveAcknowledged, acknowledged.State);
        Assert.Contains(history, h => h.From == AlarmState.Normal && h.To == AlarmState.ActiveUnacknowledged);
        Assert.Contains(history, h => h.To == AlarmState.ActiveAcknowledged && h.Comment == AckComment);
        Assert.Contains(history, h => h.From == AlarmState.ActiveAcknowledged && h.To == AlarmState.Normal);
    }

    /// <summary>
    /// The rule's 60 s off-delay alone would outlast the drill budget; the drill keeps the rule's
    /// limit, deadband and on-delay from <see cref="DefaultRules"/> and waits 5 s before clearing.
    /// </summary>
    private static async Task ShortenOffDelayAsync(HttpClient http)
    {
        var rules = (await http.GetRulesAsync())
            .Select(r => r.Id == s_crystalAlarm ? Assert.IsType<LimitRule>(r) with { OffDelay = TimeSpan.FromSeconds(5) } : r)
            .ToArray();
        Assert.Contains(rules, r => r.Id == s_crystalAlarm);
        (await http.PutRulesAsync(rules)).EnsureSuccessStatusCode();
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    // Other crystals and the Dewar sensors warm with the same fault: their messages may come first.
    private static async Task<MimeMessage> FirstEmailMentioningAsync(SmtpTestServer smtp, string ruleId, DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            var message = await smtp.NextAsync();
            if (message.TextBody?.Contains(ruleId, StringComparison.Ordinal) == true)
            {
                return message;
            }
        }

        throw new Xunit.Sdk.XunitException($"No e-mail mentioning {ruleId} before the drill's deadline.");
    }

    private static async Task<string> FirstWebhookMentioningAsync(WebhookTestListener webhook, string ruleId, DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            using var body = await webhook.NextAsync();
            var text = body.RootElement.GetRawText();
            if (text.Contains(ruleId, StringComparison.Ordinal))
            {
                return text;
            }
        }

        throw new Xunit.Sdk.XunitException($"No webhook body mentioning {ruleId} before the drill's deadline.");
    }

    /// <summary>
    /// The demo at the fastest warm-up the demo accepts (600 K/h: 80 K is crossed in about 20 s and
    /// the excursion decays with a 4.5 s time constant), notifying at once through loopback servers.
    /// </summary>
    private sealed class DrillServerFactory(int smtpPort, string webhookUrl) : MonitorServerFactory(demo: true)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Demo:DewarWarmupKelvinPerHour", "600");
            builder.UseSetting("Notifications:Smtp:Host", "127.0.0.1");
            builder.UseSetting("Notifications:Smtp:Port", smtpPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Notifications:Smtp:UseStartTls", "false");
            builder.UseSetting("Notifications:Smtp:From", "clovers-monitor@example.org");
            builder.UseSetting("Notifications:Roster:0:Name", "Shifter");
            builder.UseSetting("Notifications:Roster:0:Email", "shifter@example.org");
            builder.UseSetting("Notifications:Webhooks:0:Name", "control-room");
            builder.UseSetting("Notifications:Webhooks:0:Url", webhookUrl);
            builder.UseSetting("Notifications:GroupWindowSeconds", "0");
            builder.UseSetting("Notifications:PollSeconds", "1");
        }
    }
}
