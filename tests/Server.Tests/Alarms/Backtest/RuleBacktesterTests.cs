using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Backtest;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Tests.Storage;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Tests.Alarms.Backtest;

public sealed class RuleBacktesterTests
{
    private const string Temperature = "cryo.temp.sd1";

    private static readonly DateTimeOffset T0 = TemporaryStore.T0;
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly LimitRule High = new("cryo.temp.sd1.high", "SD1 too warm", AlarmSeverity.Major, Temperature) { High = 100 };

    private static RuleBacktester Backtester(TemporaryStore temp) =>
        new(temp.Store, Options.Create(new AlarmOptions()), temp.Time);

    // One reading every 10 s over the day before the store's clock; above 100 during three 10-minute spells.
    private static Reading[] ThreeExcursions() =>
        TemporaryStore.Series(Temperature, T0, 8640, TimeSpan.FromSeconds(10), i => i is (>= 1000 and < 1060) or (>= 4000 and < 4060) or (>= 7000 and < 7060) ? 120 : 50);

    [Fact]
    public async Task RunAsync_SeriesCrossingTheLimitThreeTimes_CountsThreeActivations()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(ThreeExcursions(), None);

        var result = await Backtester(temp).RunAsync(High, 1, None);

        Assert.Equal(3, result.Activations);
    }

    [Fact]
    public async Task RunAsync_SeriesCrossingTheLimitThreeTimes_ReportsFirstAndLastActivation()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(ThreeExcursions(), None);

        var result = await Backtester(temp).RunAsync(High, 1, None);

        Assert.InRange(result.FirstAt!.Value, T0.AddSeconds(9_000), T0.AddSeconds(10_010));
        Assert.InRange(result.LastAt!.Value, T0.AddSeconds(69_000), T0.AddSeconds(70_010));
    }

    [Fact]
    public async Task RunAsync_OnDelayLongerThanEveryExcursion_CountsNone()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(ThreeExcursions(), None);

        var result = await Backtester(temp).RunAsync(High with { OnDelay = TimeSpan.FromMinutes(30) }, 1, None);

        Assert.Equal(0, result.Activations);
    }

    [Fact]
    public async Task RunAsync_SpikeInsideACoarseBucket_StillCounts()
    {
        await using var temp = new TemporaryStore();
        var start = T0.AddDays(-5);
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, start, 2000, TimeSpan.FromSeconds(10), i => i == 1234 ? 150 : 50), None);

        var result = await Backtester(temp).RunAsync(High, 30, None);

        Assert.Equal(1, result.Activations);
        Assert.Contains("Approximation", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SetpointRule_ReadsTheSetpointChannelToo()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series("hv.pmt1.setpoint", T0, 8640, TimeSpan.FromSeconds(10), _ => 1500), None);
        await temp.Store.WriteAsync(TemporaryStore.Series("hv.pmt1.voltage", T0, 8640, TimeSpan.FromSeconds(10), i => i is (>= 2000 and < 2100) or (>= 5000 and < 5100) ? 0 : 1500), None);
        var tripped = new SetpointDeviationRule("hv.pmt1.tripped", "PMT 1 HV tripped", AlarmSeverity.Critical, "hv.pmt1.voltage", "hv.pmt1.setpoint")
        {
            TripBelow = 10,
            ArmedAbove = 100,
        };

        var result = await Backtester(temp).RunAsync(tripped, 1, None);

        Assert.Equal(2, result.Activations);
    }

    [Fact]
    public async Task RunAsync_OnlyWhileBeamOn_ReadsTheBeamChannel()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(ThreeExcursions(), None);
        await temp.Store.WriteAsync(TemporaryStore.Series(new AlarmOptions().BeamChannel, T0, 8640, TimeSpan.FromSeconds(10), _ => 1000), None);

        var result = await Backtester(temp).RunAsync(High with { Beam = BeamCondition.OnlyWhileBeamOn }, 1, None);

        Assert.Equal(3, result.Activations);
    }

    [Fact]
    public async Task RunAsync_UnknownChannel_ReplaysNothingAndSaysSo()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(ThreeExcursions(), None);

        var result = await Backtester(temp).RunAsync(High with { Channel = "cryo.temp.nowhere" }, 7, None);

        Assert.Equal((0, 0L), (result.Activations, result.ReadingsReplayed));
        Assert.Contains("cryo.temp.nowhere", result.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Days_CoversThatManyDaysUpToNow()
    {
        await using var temp = new TemporaryStore();

        var result = await Backtester(temp).RunAsync(High, 7, None);

        Assert.Equal((temp.Time.GetUtcNow().AddDays(-7), temp.Time.GetUtcNow()), (result.From, result.To));
    }

    [Fact]
    public async Task RunAsync_Cancelled_Throws()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(ThreeExcursions(), None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Backtester(temp).RunAsync(High, 1, cancelled.Token));
    }
}
