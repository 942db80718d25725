using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class DaqRunTrackerTests
{
    private readonly DaqRunTracker _tracker = new();

    [Fact]
    public void Observe_GrowingSequence_Accepts()
    {
        _tracker.Observe(Set(run: 1, seq: 1, 5));

        Assert.Equal(DaqVerdict.Accepted, _tracker.Observe(Set(run: 1, seq: 2, 6)).Verdict);
    }

    [Fact]
    public void Observe_SameSequenceAgain_IsDuplicate()
    {
        _tracker.Observe(Set(run: 1, seq: 3, 5));

        Assert.Equal(DaqVerdict.Duplicate, _tracker.Observe(Set(run: 1, seq: 3, 5)).Verdict);
    }

    [Fact]
    public void Observe_OlderSequence_IsStale()
    {
        _tracker.Observe(Set(run: 1, seq: 3, 5));

        Assert.Equal(DaqVerdict.Stale, _tracker.Observe(Set(run: 1, seq: 2, 4)).Verdict);
    }

    [Fact]
    public void Observe_CountDecreasesWithinRun_IsCountsDecreasedWithItsKey()
    {
        _tracker.Observe(Set(run: 1, seq: 1, 5));

        var (verdict, key) = _tracker.Observe(Set(run: 1, seq: 2, 4));

        Assert.Equal(DaqVerdict.CountsDecreased, verdict);
        Assert.Equal("sd1.signal", key);
    }

    [Fact]
    public void Observe_TriggersDecreaseWithinRun_IsCountsDecreased()
    {
        _tracker.Observe(Set(run: 1, seq: 2, 5));

        Assert.Equal(DaqVerdict.CountsDecreased, _tracker.Observe(Set(run: 1, seq: 3, 5) with { Triggers = 1 }).Verdict);
    }

    [Fact]
    public void Observe_RefusedSet_LeavesTheLastAcceptedCounts()
    {
        _tracker.Observe(Set(run: 1, seq: 1, 5));
        _tracker.Observe(Set(run: 1, seq: 2, 4));

        Assert.Equal(DaqVerdict.Accepted, _tracker.Observe(Set(run: 1, seq: 3, 5)).Verdict);
    }

    [Fact]
    public void Observe_NewRun_ResetsCountsAndSequence()
    {
        _tracker.Observe(Set(run: 1, seq: 50, 500));

        Assert.Equal(DaqVerdict.NewRun, _tracker.Observe(Set(run: 2, seq: 1, 1)).Verdict);
        Assert.Equal(DaqVerdict.Accepted, _tracker.Observe(Set(run: 2, seq: 2, 2)).Verdict);
    }

    [Fact]
    public void Observe_LateMessageOfEarlierRun_IsStaleRun()
    {
        _tracker.Observe(Set(run: 2, seq: 1, 1));

        Assert.Equal(DaqVerdict.StaleRun, _tracker.Observe(Set(run: 1, seq: 60, 600)).Verdict);
    }

    [Fact]
    public void Observe_LowerRunStartedLater_IsNewRunOfARestartedDaq()
    {
        _tracker.Observe(Set(run: 9, seq: 1, 1));

        var restarted = Set(run: 1, seq: 1, 1) with { RunStartedAt = SpectraSamples.RunStart.AddHours(1) };

        Assert.Equal(DaqVerdict.NewRun, _tracker.Observe(restarted).Verdict);
    }

    [Fact]
    public void Observe_EdgesChangeWithinRun_IsBinningChanged()
    {
        _tracker.Observe(Set(run: 1, seq: 1, 5));
        var rebinned = SpectraSamples.Set(1, 2, SpectraSamples.Npe(1, DaqWindow.Signal, [5, 5]) with { Edges = [0, 2, 4] });

        Assert.Equal(DaqVerdict.BinningChanged, _tracker.Observe(rebinned).Verdict);
    }

    [Fact]
    public void Observe_MoreDaqsThanTheLimit_RefusesTheNewOne()
    {
        for (var i = 0; i < DaqRunTracker.MaxDaqs; i++)
        {
            _tracker.Observe(Set(1, 1, 1) with { DaqId = $"daq-{i}" });
        }

        Assert.Equal(DaqVerdict.TooManyDaqs, _tracker.Observe(Set(1, 1, 1) with { DaqId = "daq-one-too-many" }).Verdict);
    }

    private static HistogramSet Set(long run, long seq, long count) =>
        SpectraSamples.Set(run, seq, SpectraSamples.Npe(1, DaqWindow.Signal, [count, count]));
}
