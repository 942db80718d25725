using Clovers.Monitor.Client.Formatting;

namespace Clovers.Monitor.Client.Tests.Formatting;

public sealed class DisplayFormatTests
{
    [Theory]
    [InlineData(1500.4, "1500")]
    [InlineData(140.04, "140.0")]
    [InlineData(77.314, "77.31")]
    [InlineData(0.0123, "0.0123")]
    [InlineData(0, "0")]
    [InlineData(-3.5, "-3.50")]
    [InlineData(double.NaN, "—")]
    public void Value_Number_RoundsToAboutFourDigits(double value, string expected)
    {
        Assert.Equal(expected, DisplayFormat.Value(value));
    }

    [Fact]
    public void Value_Null_IsDash()
    {
        Assert.Equal("—", DisplayFormat.Value(null));
    }

    [Theory]
    [InlineData(5, "5 s")]
    [InlineData(125, "2 min")]
    [InlineData(7200, "2 h")]
    [InlineData(3 * 86400, "3 d")]
    public void Age_Elapsed_UsesLargestWholeUnit(int seconds, string expected)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, DisplayFormat.Age(now.AddSeconds(-seconds), now));
    }

    [Fact]
    public void Age_TimestampAhead_ShowsZero()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("0 s", DisplayFormat.Age(now.AddSeconds(3), now));
    }

    [Fact]
    public void UtcMinute_OffsetMoment_ShowsItInUtcToTheMinute()
    {
        var at = new DateTimeOffset(2026, 11, 26, 21, 30, 45, TimeSpan.FromHours(1));

        Assert.Equal("2026-11-26 20:30 UTC", DisplayFormat.UtcMinute(at));
    }
}
