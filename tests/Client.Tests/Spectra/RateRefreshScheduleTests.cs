using Clovers.Monitor.Client.Spectra;

namespace Clovers.Monitor.Client.Tests.Spectra;

public sealed class RateRefreshScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryClaim_FirstTime_IsAllowed()
    {
        var schedule = new RateRefreshSchedule(4);

        Assert.True(schedule.TryClaim(0, Start));
    }

    [Fact]
    public void TryClaim_AgainWithinTheInterval_IsRefused()
    {
        var schedule = new RateRefreshSchedule(4);
        schedule.TryClaim(0, Start);

        Assert.False(schedule.TryClaim(0, Start + RateRefreshSchedule.Interval - TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void TryClaim_AfterTheInterval_IsAllowed()
    {
        var schedule = new RateRefreshSchedule(4);
        schedule.TryClaim(0, Start);

        Assert.True(schedule.TryClaim(0, Start + RateRefreshSchedule.Interval));
    }

    [Fact]
    public void TryClaim_RefusedClaim_DoesNotRestartTheInterval()
    {
        var schedule = new RateRefreshSchedule(4);
        schedule.TryClaim(0, Start);
        schedule.TryClaim(0, Start + TimeSpan.FromSeconds(30));

        Assert.True(schedule.TryClaim(0, Start + RateRefreshSchedule.Interval));
    }

    [Fact]
    public void TryClaim_OtherPanel_HasItsOwnInterval()
    {
        var schedule = new RateRefreshSchedule(4);
        schedule.TryClaim(0, Start);

        Assert.True(schedule.TryClaim(1, Start + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Reset_AfterAClaim_AllowsAtOnce()
    {
        var schedule = new RateRefreshSchedule(4);
        schedule.TryClaim(0, Start);

        schedule.Reset();

        Assert.True(schedule.TryClaim(0, Start));
    }
}
