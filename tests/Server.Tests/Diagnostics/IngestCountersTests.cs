using Clovers.Monitor.Server.Diagnostics;

namespace Clovers.Monitor.Server.Tests.Diagnostics;

public sealed class IngestCountersTests
{
    private static readonly IReadOnlyDictionary<string, int> NoQueues = new Dictionary<string, int>();

    [Fact]
    public void MessageRejected_CountsTheMessageItsReasonAndItsSource()
    {
        var counters = new IngestCounters(TimeProvider.System);

        counters.MessageRejected("malformed-json", "agent-1");

        var snapshot = counters.Snapshot(NoQueues);
        Assert.Equal(1, snapshot.MessagesRejected);
        Assert.Equal(1, snapshot.RejectedByReason["malformed-json"]);
        Assert.Equal(1, snapshot.RejectedBySource["agent-1"]);
    }

    [Fact]
    public async Task Snapshot_WhileMessagesAreRefused_NeverShowsARefusalWithoutItsSourceAndItsReason()
    {
        const int Refusals = 200_000;
        var counters = new IngestCounters(TimeProvider.System);
        using var done = new CancellationTokenSource();

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Refusals; i++)
            {
                counters.MessageRejected("malformed-json", "agent-1");
            }

            done.Cancel();
        });

        var snapshots = 0;
        while (!done.IsCancellationRequested || snapshots == 0)
        {
            var snapshot = counters.Snapshot(NoQueues);
            var bySource = snapshot.RejectedBySource.GetValueOrDefault("agent-1");
            Assert.True(
                snapshot.RejectedByReason.GetValueOrDefault("malformed-json") >= bySource && bySource >= snapshot.MessagesRejected,
                $"{snapshot.MessagesRejected} refused, {bySource} under the source, {snapshot.RejectedByReason.GetValueOrDefault("malformed-json")} under the reason");
            snapshots++;
        }

        await writer;
        Assert.Equal(Refusals, counters.Snapshot(NoQueues).RejectedByReason["malformed-json"]);
    }
}
