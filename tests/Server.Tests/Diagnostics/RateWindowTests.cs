using Clovers.Monitor.Server.Diagnostics;

namespace Clovers.Monitor.Server.Tests.Diagnostics;

public sealed class RateWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Over_NoSampleBeforeNow_ZeroRatesOverZeroWindow()
    {
        var window = new RateWindow(TimeSpan.FromMinutes(1), 8);

        var rates = window.Over(new RateSample(T0, 100, 1000, 1000, 1 << 20));

        Assert.Equal(new Rates(0, 0, 0, 0, TimeSpan.Zero), rates);
    }

    [Fact]
    public void Over_SamplesWithinWindow_RateFromTheOldest()
    {
        var window = new RateWindow(TimeSpan.FromMinutes(1), 8);
        window.Add(new RateSample(T0, 0, 0, 0, 0));
        window.Add(new RateSample(T0.AddSeconds(10), 500, 5000, 4000, 1000));

        var rates = window.Over(new RateSample(T0.AddSeconds(20), 1000, 10_000, 9000, 2000));

        Assert.Equal(50, rates.MessagesPerSecond);
        Assert.Equal(500, rates.ReadingsPerSecond);
        Assert.Equal(450, rates.StoredPerSecond);
        Assert.Equal(100, rates.AllocatedBytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(20), rates.Window);
    }

    [Fact]
    public void Over_SampleOlderThanWindow_IsLeftOut()
    {
        var window = new RateWindow(TimeSpan.FromMinutes(1), 8);
        window.Add(new RateSample(T0, 0, 0, 0, 0));
        window.Add(new RateSample(T0.AddSeconds(70), 7000, 0, 0, 0));

        var rates = window.Over(new RateSample(T0.AddSeconds(80), 7100, 0, 0, 0));

        Assert.Equal(10, rates.MessagesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), rates.Window);
    }

    [Fact]
    public void Add_MoreSamplesThanCapacity_OverwritesTheOldest()
    {
        var window = new RateWindow(TimeSpan.FromHours(1), 3);
        for (var i = 0; i < 5; i++)
        {
            window.Add(new RateSample(T0.AddSeconds(i), i * 10, 0, 0, 0));
        }

        var rates = window.Over(new RateSample(T0.AddSeconds(5), 50, 0, 0, 0));

        Assert.Equal(TimeSpan.FromSeconds(3), rates.Window);
        Assert.Equal(10, rates.MessagesPerSecond);
    }
}
