using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Live;

public sealed class UpdateCoalescerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);
    private readonly UpdateCoalescer _coalescer = new(TimeSpan.FromMilliseconds(250));

    [Fact]
    public void TryRelease_FirstChangeAfterQuiet_GoesAtOnce()
    {
        _coalescer.Offer([Update("beam.power", 140)]);

        var released = _coalescer.TryRelease(T0, out _);

        Assert.NotNull(released);
        Assert.Single(released.Updates);
    }

    [Fact]
    public void TryRelease_BurstWithinInterval_WaitsAndKeepsOnlyNewestPerChannel()
    {
        _coalescer.Offer([Update("beam.power", 1)]);
        _coalescer.TryRelease(T0, out _);
        _coalescer.Offer([Update("beam.power", 2)]);
        _coalescer.Offer([Update("beam.power", 3), Update("veto.rate", 250)]);

        var early = _coalescer.TryRelease(T0.AddMilliseconds(100), out var wait);
        var due = _coalescer.TryRelease(T0.AddMilliseconds(250), out _);

        Assert.Null(early);
        Assert.Equal(TimeSpan.FromMilliseconds(150), wait);
        Assert.NotNull(due);
        Assert.Equal(2, due.Updates.Count);
        Assert.Equal(3, due.Updates.Single(u => u.Id == "beam.power").Value);
    }

    [Fact]
    public void TryRelease_NothingPending_ReturnsNullWithoutWait()
    {
        Assert.Null(_coalescer.TryRelease(T0, out var wait));
        Assert.Equal(TimeSpan.Zero, wait);
    }

    [Fact]
    public void Offer_StatusChangeOfPendingUpdate_UpdatesItsStatusInsteadOfSendingTwice()
    {
        _coalescer.Offer([Update("beam.power", 1)]);
        _coalescer.Offer([new ChannelStatusChange("beam.power", ChannelStatus.Stale)]);

        var released = _coalescer.TryRelease(T0, out _)!;

        Assert.Empty(released.Statuses);
        Assert.Equal(ChannelStatus.Stale, Assert.Single(released.Updates).Status);
    }

    [Fact]
    public void Offer_AgentChanges_AreNeverCoalescedAway()
    {
        _coalescer.Offer([new AgentInfo("a1", AgentState.Online, T0, null, 1, false)]);
        _coalescer.Offer([new AgentInfo("a2", AgentState.Offline, T0, null, 1, false)]);

        var released = _coalescer.TryRelease(T0, out _)!;

        Assert.Equal(2, released.Agents.Count);
    }

    private static ChannelUpdate Update(string id, double value) => new(id, value, T0, Quality.Good, ChannelStatus.Ok);
}
