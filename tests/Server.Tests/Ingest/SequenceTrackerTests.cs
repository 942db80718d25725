using Clovers.Monitor.Server.Ingest;

namespace Clovers.Monitor.Server.Tests.Ingest;

public sealed class SequenceTrackerTests
{
    [Fact]
    public void Observe_SameSeqTwice_SecondIsDuplicate()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 100);

        Assert.True(tracker.Observe("a", 100).IsDuplicate);
    }

    [Fact]
    public void Observe_OlderSeqWithinReplayDistance_IsDuplicate()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 100);
        tracker.Observe("a", 101);

        Assert.True(tracker.Observe("a", 99).IsDuplicate);
    }

    [Fact]
    public void Observe_SkippedNumbers_CountsTheGap()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 100);

        Assert.Equal(3, tracker.Observe("a", 104).Skipped);
    }

    [Fact]
    public void Observe_AfterRebirth_JumpIsNoGap()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 100);
        tracker.Rebirth("a");

        var verdict = tracker.Observe("a", 5_000);

        Assert.Equal(0, verdict.Skipped);
        Assert.False(verdict.IsDuplicate);
    }

    [Fact]
    public void Observe_RebirthThenOldSeq_IsStillDuplicate()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 100);
        tracker.Rebirth("a");

        Assert.True(tracker.Observe("a", 100).IsDuplicate);
    }

    [Fact]
    public void Observe_FarBelowTheHighestSeq_StartsANewSeries()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 10_000_000);

        var verdict = tracker.Observe("a", 10_000_000 - SequenceTracker.ResetDistance - 1);

        Assert.True(verdict.IsRestart);
        Assert.True(tracker.Observe("a", 10_000_000 - SequenceTracker.ResetDistance).IsDuplicate is false);
    }

    [Fact]
    public void Observe_OtherAgent_IsIndependent()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 100);

        Assert.False(tracker.Observe("b", 100).IsDuplicate);
    }

    [Fact]
    public void Load_DurableMarkOfEarlierRun_DropsItsReplays()
    {
        var tracker = new SequenceTracker();
        tracker.Load([new("a", 500)]);

        Assert.True(tracker.Observe("a", 500).IsDuplicate);
        Assert.False(tracker.Observe("a", 501).IsDuplicate);
    }

    [Fact]
    public void TakeDirty_AfterMarkDurable_ReturnsTheHighestMarkOnce()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 1);
        tracker.Observe("a", 2);
        tracker.MarkDurable("a", 1);
        tracker.MarkDurable("a", 2);

        Assert.Equal([new KeyValuePair<string, long>("a", 2)], tracker.TakeDirty());
        Assert.Empty(tracker.TakeDirty());
    }

    [Fact]
    public void MarkDurable_LowerThanTheMark_IsIgnored()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 5);
        tracker.MarkDurable("a", 5);
        tracker.TakeDirty();

        tracker.MarkDurable("a", 3);

        Assert.Empty(tracker.TakeDirty());
    }

    [Fact]
    public void Observe_MoreAgentsThanTheCap_StaysBounded()
    {
        var tracker = new SequenceTracker();
        for (var i = 0; i < SequenceTracker.MaxAgents + 50; i++)
        {
            tracker.Observe($"agent-{i}", 1);
        }

        // An untracked agent is simply not deduplicated.
        Assert.False(tracker.Observe($"agent-{SequenceTracker.MaxAgents + 10}", 1).IsDuplicate);
    }

    [Fact]
    public void Unpersisted_AfterTakeDirty_ReturnsTheMarkAgain()
    {
        var tracker = new SequenceTracker();
        tracker.Observe("a", 7);
        tracker.MarkDurable("a", 7);
        var taken = tracker.TakeDirty();

        tracker.Unpersisted(taken);

        Assert.Equal([new KeyValuePair<string, long>("a", 7)], tracker.TakeDirty());
    }
}
