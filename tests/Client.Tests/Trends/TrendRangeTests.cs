using Clovers.Monitor.Client.Trends;

namespace Clovers.Monitor.Client.Tests.Trends;

public sealed class TrendRangeTests
{
    [Theory]
    [InlineData("15m", 15 * 60)]
    [InlineData("7D", 7 * 86400)]
    public void Find_KnownKey_ReturnsItsSpan(string key, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), TrendRange.Find(key)!.Span);
    }

    [Fact]
    public void Find_UnknownKey_ReturnsNull()
    {
        Assert.Null(TrendRange.Find("2y"));
    }
}
