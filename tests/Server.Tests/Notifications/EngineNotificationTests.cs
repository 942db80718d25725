using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Tests.Alarms;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Notifications;

/// <summary>Transitions as the real alarm engine emits them, fed through the notification writer.</summary>
public sealed class EngineNotificationTests : IDisposable
{
    private readonly NotificationHarness _harness = new();

    [Fact]
    public async Task Engine_FlappingLimitAlarm_OneNotification()
    {
        var engine = new EngineHarness(
            new AlarmOptions { FlapActivations = 3, FlapWindowMinutes = 10 },
            new LimitRule("cryo.temp.sd1.high", "Crystal 1 hot", AlarmSeverity.Major, "cryo.temp.sd1") { High = 80 });
        for (var i = 0; i < 6; i++)
        {
            engine.Time.Advance(TimeSpan.FromSeconds(10));
            engine.Feed("cryo.temp.sd1", 81);
            engine.Time.Advance(TimeSpan.FromSeconds(10));
            engine.Feed("cryo.temp.sd1", 77);
        }

        var parts = await _harness.StartAsync(NotificationHarness.EmailOptions(2525));
        foreach (var transition in engine.Transitions)
        {
            await parts.Writer.HandleAsync(transition, CancellationToken.None);
        }

        Assert.True(engine.Transitions.Count >= 12);
        Assert.Contains(engine.Transitions, t => t.Flapping);
        Assert.Single(await parts.RowsAsync());
    }

    [Fact]
    public async Task Engine_EightDarkRatesOfOneSupplyTrip_OneMessageListingEight()
    {
        var rules = Enumerable.Range(1, 8)
            .Select(pmt => (AlarmRule)new LimitRule($"pmt{pmt}.darkrate.low", $"PMT {pmt} dark rate low", AlarmSeverity.Major, $"pmt{pmt}.darkrate") { Low = 100, GroupKey = "hv-supply-1" })
            .ToArray();
        var engine = new EngineHarness(rules);
        engine.FeedMany([.. Enumerable.Range(1, 8).Select(pmt => ($"pmt{pmt}.darkrate", 3.0))]);
        var parts = await _harness.StartAsync(NotificationHarness.EmailOptions(2525));
        foreach (var transition in engine.Transitions)
        {
            await parts.Writer.HandleAsync(transition, CancellationToken.None);
        }

        _harness.Time.Advance(TimeSpan.FromSeconds(30));
        await parts.Writer.TickAsync(CancellationToken.None);

        var message = Assert.Single(await parts.RowsAsync());
        Assert.Equal(8, message.AlarmIds.Count);
    }

    public void Dispose() => _harness.Dispose();
}
