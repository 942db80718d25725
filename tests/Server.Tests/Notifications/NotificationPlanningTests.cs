using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Notifications;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Notifications;

/// <summary>What the writer puts into the outbox for a stream of transitions (nothing is delivered here).</summary>
public sealed class NotificationPlanningTests : IDisposable
{
    private static readonly NotificationOptions Options = NotificationHarness.EmailOptions(2525, "first@example.org", "second@example.org");
    private readonly NotificationHarness _harness = new();

    [Fact]
    public async Task Handle_EightActivationsOfOneGroupWithinWindow_OneMessageListingAll()
    {
        var parts = await _harness.StartAsync(Options);
        for (var pmt = 1; pmt <= 8; pmt++)
        {
            await parts.Writer.HandleAsync(NotificationHarness.Activation($"pmt{pmt}.darkrate.high", groupKey: "hv-supply-1"), CancellationToken.None);
            _harness.Time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Empty(await parts.RowsAsync());
        _harness.Time.Advance(TimeSpan.FromSeconds(15));
        await parts.Writer.TickAsync(CancellationToken.None);

        var message = Assert.Single(await parts.RowsAsync());
        Assert.Equal(8, message.AlarmIds.Count);
        Assert.Equal("hv-supply-1", message.GroupKey);
        Assert.Contains("8 alarms", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_GroupKeyWithoutWindow_MessageAtOnce()
    {
        var options = NotificationHarness.EmailOptions(2525);
        options.GroupWindowSeconds = 0;
        var parts = await _harness.StartAsync(options);

        await parts.Writer.HandleAsync(NotificationHarness.Activation("pmt1.darkrate.high", groupKey: "hv-supply-1"), CancellationToken.None);

        Assert.Single(await parts.RowsAsync());
    }

    [Fact]
    public async Task Handle_FlappingAlarm_OneNotification()
    {
        var parts = await _harness.StartAsync(Options);
        var first = NotificationHarness.Activation("daq.rate.low");
        await parts.Writer.HandleAsync(first, CancellationToken.None);
        for (var flap = 0; flap < 6; flap++)
        {
            await parts.Writer.HandleAsync(first with { From = AlarmState.ActiveUnacknowledged, To = AlarmState.ReturnedUnacknowledged, Flapping = flap > 3 }, CancellationToken.None);
            await parts.Writer.HandleAsync(first with { From = AlarmState.ReturnedUnacknowledged, Flapping = flap > 3 }, CancellationToken.None);
        }

        // Acknowledged back to normal while still flapping: the next activation is a new occurrence of the same episode.
        await parts.Writer.HandleAsync(first with { From = AlarmState.ReturnedUnacknowledged, To = AlarmState.Normal, User = "shifter", Flapping = true }, CancellationToken.None);
        await parts.Writer.HandleAsync(NotificationHarness.Activation("daq.rate.low", flapping: true, alarmId: "daq.rate.low@2026-03-02T08:05:00Z"), CancellationToken.None);

        Assert.Single(await parts.RowsAsync());
    }

    [Fact]
    public async Task Handle_NewOccurrenceAfterNormal_NotifiesAgain()
    {
        var parts = await _harness.StartAsync(Options);
        var first = NotificationHarness.Activation("daq.rate.low");
        await parts.Writer.HandleAsync(first, CancellationToken.None);
        await parts.Writer.HandleAsync(first with { From = AlarmState.ActiveUnacknowledged, To = AlarmState.ActiveAcknowledged, User = "shifter" }, CancellationToken.None);
        await parts.Writer.HandleAsync(first with { From = AlarmState.ActiveAcknowledged, To = AlarmState.Normal }, CancellationToken.None);

        await parts.Writer.HandleAsync(NotificationHarness.Activation("daq.rate.low", alarmId: "daq.rate.low@2026-03-02T09:00:00Z"), CancellationToken.None);

        Assert.Equal(2, (await parts.RowsAsync()).Count);
    }

    [Fact]
    public async Task Handle_InsideMatchingSilence_RecordedSilencedNotSent()
    {
        var options = NotificationHarness.EmailOptions(NotificationHarness.FreeTcpPort());
        options.Silences =
        [
            new NotificationSilence
            {
                Start = new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.Zero),
                End = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
                RulePrefix = "hv.",
                Reason = "HV cable swap",
            },
        ];
        var parts = await _harness.StartAsync(options);

        await parts.Writer.HandleAsync(NotificationHarness.Activation("hv.pmt3.tripped"), CancellationToken.None);

        var row = Assert.Single(await parts.RowsAsync());
        Assert.Equal(NotificationStatuses.Silenced, row.Status);
        Assert.Equal(0, await parts.Worker.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(0, row.Attempts);
    }

    [Fact]
    public async Task Handle_OutsideSilencePrefix_Pending()
    {
        var options = NotificationHarness.EmailOptions(2525);
        options.Silences = [new NotificationSilence { Start = DateTimeOffset.MinValue, End = DateTimeOffset.MaxValue, RulePrefix = "hv.", Reason = "HV work" }];
        var parts = await _harness.StartAsync(options);

        await parts.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high"), CancellationToken.None);

        Assert.Equal(NotificationStatuses.Pending, Assert.Single(await parts.RowsAsync()).Status);
    }

    [Fact]
    public async Task Handle_WarningWithDefaultSeverities_NoNotification()
    {
        var parts = await _harness.StartAsync(Options);

        await parts.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high", AlarmSeverity.Warning), CancellationToken.None);

        Assert.Empty(await parts.RowsAsync());
    }

    [Fact]
    public async Task Tick_UnacknowledgedPastEscalationTime_MessagesNextRosterEntry()
    {
        var parts = await _harness.StartAsync(Options);
        await parts.Writer.HandleAsync(NotificationHarness.Activation("hv.pmt3.tripped"), CancellationToken.None);

        _harness.Time.Advance(TimeSpan.FromMinutes(14));
        await parts.Writer.TickAsync(CancellationToken.None);
        Assert.Single(await parts.RowsAsync());

        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        await parts.Writer.TickAsync(CancellationToken.None);

        var escalation = (await parts.RowsAsync())[0];
        Assert.Equal("second@example.org", escalation.Target);
        Assert.Contains("ESCALATED", escalation.Subject, StringComparison.Ordinal);
        Assert.Equal(["hv.pmt3.tripped@2026-03-02T08:00:00Z"], escalation.AlarmIds);
    }

    [Fact]
    public async Task Tick_AcknowledgedBeforeEscalationTime_NoEscalation()
    {
        var parts = await _harness.StartAsync(Options);
        var activation = NotificationHarness.Activation("hv.pmt3.tripped");
        await parts.Writer.HandleAsync(activation, CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromMinutes(5));
        await parts.Writer.HandleAsync(activation with { From = AlarmState.ActiveUnacknowledged, To = AlarmState.ActiveAcknowledged, User = "shifter" }, CancellationToken.None);

        _harness.Time.Advance(TimeSpan.FromMinutes(30));
        await parts.Writer.TickAsync(CancellationToken.None);

        Assert.Equal("first@example.org", Assert.Single(await parts.RowsAsync()).Target);
    }

    [Fact]
    public async Task Handle_ReturnToNormalWithClearedOn_ClearedMessage()
    {
        var options = NotificationHarness.EmailOptions(2525);
        options.NotifyCleared = true;
        var parts = await _harness.StartAsync(options);
        var activation = NotificationHarness.Activation("cryo.temp.high");
        await parts.Writer.HandleAsync(activation, CancellationToken.None);

        await parts.Writer.HandleAsync(activation with { From = AlarmState.ActiveAcknowledged, To = AlarmState.Normal }, CancellationToken.None);

        Assert.Contains("cleared", (await parts.RowsAsync())[0].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_SharedWebhookAndPersonalWebhook_SharedGetsFirstLevelOnly()
    {
        var options = new NotificationOptions
        {
            Webhooks =
            [
                new WebhookTarget { Name = "control-room", Url = "http://127.0.0.1:9/shared" },
                new WebhookTarget { Name = "alice-phone", Url = "http://127.0.0.1:9/alice" },
            ],
            Roster = [new OnCallEntry { Name = "Alice", Webhook = "alice-phone" }],
        };
        var parts = await _harness.StartAsync(options);

        await parts.Writer.HandleAsync(NotificationHarness.Activation("cryo.temp.high"), CancellationToken.None);

        Assert.Equal(["alice-phone", "control-room"], (await parts.RowsAsync()).Select(r => r.Target).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _harness.Dispose();
}
