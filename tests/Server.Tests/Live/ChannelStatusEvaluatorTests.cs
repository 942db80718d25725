using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Live;

public sealed class ChannelStatusEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private static readonly ChannelDescriptor CrystalTemperature = new("cryo.temp.sd1", "K", "Crystal 1", ChannelGroup.Cryogenics, new Band(77.0, 77.8), 1)
    {
        Warn = new Band(null, 78.5),
        Alarm = new Band(null, 80),
    };

    [Theory]
    [InlineData(77.3, "ok")]
    [InlineData(78.6, "warn")]
    [InlineData(80.1, "alarm")]
    public void Evaluate_FreshValue_ColouredByBands(double kelvin, string expected) =>
        Assert.Equal(expected, Name(ChannelStatusEvaluator.Evaluate(CrystalTemperature, kelvin, Quality.Good, Now, Now, StaleAfter)));

    [Fact]
    public void Evaluate_NoValueYet_IsUnknown() =>
        Assert.Equal(ChannelStatus.Unknown, ChannelStatusEvaluator.Evaluate(CrystalTemperature, null, null, null, Now, StaleAfter));

    [Fact]
    public void Evaluate_OldNormalValue_IsStale() =>
        Assert.Equal(ChannelStatus.Stale, ChannelStatusEvaluator.Evaluate(CrystalTemperature, 77.3, Quality.Good, Now.AddSeconds(-11), Now, StaleAfter));

    [Fact]
    public void Evaluate_OldAlarmingValue_StaysAlarm() =>
        Assert.Equal(ChannelStatus.Alarm, ChannelStatusEvaluator.Evaluate(CrystalTemperature, 81, Quality.Good, Now.AddMinutes(-5), Now, StaleAfter));

    [Fact]
    public void Evaluate_BadQualityInBand_IsWarn() =>
        Assert.Equal(ChannelStatus.Warn, ChannelStatusEvaluator.Evaluate(CrystalTemperature, 77.3, Quality.Bad, Now, Now, StaleAfter));

    [Fact]
    public void StaleAfter_SlowChannel_ScalesWithItsPeriod()
    {
        var slow = CrystalTemperature with { PeriodSeconds = 60 };

        Assert.Equal(TimeSpan.FromSeconds(180), ChannelStatusEvaluator.StaleAfter(slow, new LiveOptions()));
    }

    private static string Name(ChannelStatus status) => status.ToString().ToLowerInvariant();
}
