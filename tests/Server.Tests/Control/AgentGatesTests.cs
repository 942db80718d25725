using Clovers.Monitor.Server.Control;

namespace Clovers.Monitor.Server.Tests.Control;

public sealed class AgentGatesTests
{
    private readonly AgentGates _gates = new();

    [Fact]
    public async Task EnterAsync_SameAgentWhileItsTurnIsHeld_WaitsUntilTheTurnEnds()
    {
        var first = await _gates.EnterAsync("agent-a", CancellationToken.None);

        var second = _gates.EnterAsync("agent-a", CancellationToken.None);
        var waitedWhileHeld = !second.IsCompleted;
        first.Dispose();
        (await second).Dispose();

        Assert.True(waitedWhileHeld);
    }

    [Fact]
    public async Task EnterAsync_OtherAgentWhileATurnIsHeld_EntersAtOnce()
    {
        using var held = await _gates.EnterAsync("agent-a", CancellationToken.None);

        var other = _gates.EnterAsync("agent-b", CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        (await other).Dispose();
    }

    [Fact]
    public async Task EnterAsync_EveryTurnEnded_NoGateKept()
    {
        var first = await _gates.EnterAsync("agent-a", CancellationToken.None);
        var second = _gates.EnterAsync("agent-a", CancellationToken.None);
        var other = await _gates.EnterAsync("agent-b", CancellationToken.None);
        var inUse = _gates.Count;

        first.Dispose();
        (await second).Dispose();
        other.Dispose();

        Assert.Equal(2, inUse);
        Assert.Equal(0, _gates.Count);
    }

    [Fact]
    public async Task EnterAsync_WaitCancelled_GateDroppedWhenTheHolderLeaves()
    {
        var first = await _gates.EnterAsync("agent-a", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = _gates.EnterAsync("agent-a", cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();

        Assert.Equal(0, _gates.Count);
    }

    [Fact]
    public async Task Dispose_Twice_ReleasesTheTurnOnce()
    {
        var first = await _gates.EnterAsync("agent-a", CancellationToken.None);
        var second = _gates.EnterAsync("agent-a", CancellationToken.None);
        first.Dispose();
        using var secondTurn = await second;

        first.Dispose();
        var third = _gates.EnterAsync("agent-a", CancellationToken.None);

        Assert.False(third.IsCompleted);
        secondTurn.Dispose();
        (await third).Dispose();
    }
}
