using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Notifications;

public sealed class EmailDeliveryTests : IDisposable
{
    private readonly NotificationHarness _harness = new();

    [Fact]
    public async Task DeliverDue_SmtpServerUp_MailNamesRuleAndSeverity()
    {
        var port = NotificationHarness.FreeTcpPort();
        await using var smtp = new SmtpTestServer(port);
        var parts = await _harness.StartAsync(NotificationHarness.EmailOptions(port));
        await parts.Writer.HandleAsync(NotificationHarness.Activation("hv.pmt3.tripped", AlarmSeverity.Critical), CancellationToken.None);

        Assert.Equal(1, await parts.Worker.DeliverDueAsync(CancellationToken.None));

        var mail = await smtp.NextAsync();
        Assert.Contains("Rule hv.pmt3.tripped", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("CRITICAL", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Rule hv.pmt3.tripped", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Severity: CRITICAL", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("2026-03-02 08:00:00 UTC", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("shifter@example.org", mail.To.Mailboxes.Single().Address);
        Assert.Equal(NotificationStatuses.Sent, (await parts.RowsAsync()).Single().Status);
    }

    [Fact]
    public async Task DeliverDue_DashboardUrlSet_MailLinksDashboard()
    {
        var port = NotificationHarness.FreeTcpPort();
        await using var smtp = new SmtpTestServer(port);
        var options = NotificationHarness.EmailOptions(port);
        options.DashboardUrl = "https://clovers.example.org/alarms";
        var parts = await _harness.StartAsync(options);
        await parts.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high"), CancellationToken.None);

        await parts.Worker.DeliverDueAsync(CancellationToken.None);

        Assert.Contains("Dashboard: https://clovers.example.org/alarms", (await smtp.NextAsync()).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverDue_SmtpDown_RowStaysPendingUntilServerStarts()
    {
        var port = NotificationHarness.FreeTcpPort();
        var parts = await _harness.StartAsync(NotificationHarness.EmailOptions(port));
        await parts.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high"), CancellationToken.None);

        Assert.Equal(0, await parts.Worker.DeliverDueAsync(CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await parts.Worker.DeliverDueAsync(CancellationToken.None));

        var waiting = (await parts.RowsAsync()).Single();
        Assert.Equal(NotificationStatuses.Pending, waiting.Status);
        Assert.Equal(2, waiting.Attempts);
        Assert.NotNull(waiting.LastError);
        Assert.Equal(_harness.Time.GetUtcNow() + TimeSpan.FromSeconds(10), waiting.NextAttemptAt);

        await using var smtp = new SmtpTestServer(port);
        Assert.Equal(0, await parts.Worker.DeliverDueAsync(CancellationToken.None));
        _harness.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await parts.Worker.DeliverDueAsync(CancellationToken.None));

        Assert.Contains("Rule cryo.temp.high", (await smtp.NextAsync()).Subject, StringComparison.Ordinal);
        var sent = (await parts.RowsAsync()).Single();
        Assert.Equal(NotificationStatuses.Sent, sent.Status);
        Assert.Equal(3, sent.Attempts);
    }

    [Fact]
    public async Task DeliverDue_AfterRestartOnSameDatabase_SendsPendingRows()
    {
        var port = NotificationHarness.FreeTcpPort();
        var before = await _harness.StartAsync(NotificationHarness.EmailOptions(port));
        await before.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high"), CancellationToken.None);
        await before.Writer.HandleAsync(NotificationHarness.Activation("daq.rate.low"), CancellationToken.None);

        await using var smtp = new SmtpTestServer(port);
        var after = await _harness.StartAsync(NotificationHarness.EmailOptions(port));

        Assert.Equal(2, await after.Worker.DeliverDueAsync(CancellationToken.None));
        var subjects = new[] { (await smtp.NextAsync()).Subject ?? "", (await smtp.NextAsync()).Subject ?? "" };
        Assert.Contains(subjects, s => s.Contains("cryo.temp.high", StringComparison.Ordinal));
        Assert.Contains(subjects, s => s.Contains("daq.rate.low", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeliverDue_MaxAttemptsReached_RowFailed()
    {
        var options = NotificationHarness.EmailOptions(NotificationHarness.FreeTcpPort());
        options.MaxAttempts = 1;
        var parts = await _harness.StartAsync(options);
        await parts.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high"), CancellationToken.None);

        await parts.Worker.DeliverDueAsync(CancellationToken.None);

        var row = (await parts.RowsAsync()).Single();
        Assert.Equal(NotificationStatuses.Failed, row.Status);
        Assert.Null(row.NextAttemptAt);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 20)]
    [InlineData(8, 600)]
    [InlineData(60, 600)]
    public void RetryDelay_GrowsExponentiallyUpToCap(int attempts, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), DeliveryWorker.RetryDelay(attempts, TimeSpan.FromMinutes(10)));
    }

    public void Dispose() => _harness.Dispose();
}
