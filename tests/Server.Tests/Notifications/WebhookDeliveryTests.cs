using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Notifications;

public sealed class WebhookDeliveryTests : IDisposable
{
    private readonly NotificationHarness _harness = new();

    [Fact]
    public async Task DeliverDue_GenericWebhook_PostsAlarmFields()
    {
        await using var listener = new WebhookTestListener(NotificationHarness.FreeTcpPort());
        var parts = await _harness.StartAsync(new NotificationOptions
        {
            Webhooks = [new WebhookTarget { Name = "control-room", Url = listener.Url, Kind = WebhookKind.Generic }],
        });
        await parts.Writer.HandleAsync(NotificationHarness.Activation("hv.pmt3.tripped", AlarmSeverity.Critical), CancellationToken.None);

        Assert.Equal(1, await parts.Worker.DeliverDueAsync(CancellationToken.None));

        var body = (await listener.NextAsync()).RootElement;
        Assert.Equal("hv.pmt3.tripped@2026-03-02T08:00:00Z", body.GetProperty("alarmId").GetString());
        Assert.Equal("hv.pmt3.tripped", body.GetProperty("ruleId").GetString());
        Assert.Equal("Rule hv.pmt3.tripped", body.GetProperty("ruleName").GetString());
        Assert.Equal("critical", body.GetProperty("severity").GetString());
        Assert.Equal("activeUnacknowledged", body.GetProperty("state").GetString());
        Assert.Equal(42.5, body.GetProperty("value").GetDouble());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), body.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(1, body.GetProperty("count").GetInt32());
        Assert.Equal("control-room", (await parts.RowsAsync()).Single().Target);
    }

    [Fact]
    public async Task DeliverDue_SlackWebhook_PostsTextWithRuleAndSeverity()
    {
        await using var listener = new WebhookTestListener(NotificationHarness.FreeTcpPort());
        var parts = await _harness.StartAsync(new NotificationOptions
        {
            Webhooks = [new WebhookTarget { Name = "mattermost", Url = listener.Url, Kind = WebhookKind.Slack }],
        });
        await parts.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high"), CancellationToken.None);

        await parts.Worker.DeliverDueAsync(CancellationToken.None);

        var text = (await listener.NextAsync()).RootElement.GetProperty("text").GetString();
        Assert.Contains("Rule cryo.temp.high", text, StringComparison.Ordinal);
        Assert.Contains("MAJOR", text, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}
