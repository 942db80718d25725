using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Platform;

namespace Clovers.Monitor.Simulation.Tests.Agent;

public sealed class OutboxBudgetTests
{
    private static readonly AgentOptions Options = new() { AgentId = "platform-1" };

    private static IReadOnlyList<Shared.Protocol.ChannelDescriptor> PlatformChannels() =>
        [.. SimulatedChannels.Describe(new SimulatedPlatformOptions { AgentId = Options.AgentId }), .. AgentRuntime.OutboxChannels(Options)];

    [Fact]
    public void ReadingsPerSecond_CloversPlatform_CountsEachChannelOncePerPeriod()
    {
        // 30 channels every second (with the two outbox channels) and 16 every ten seconds.
        Assert.Equal(31.6, OutboxBudget.ReadingsPerSecond(PlatformChannels(), 1), precision: 6);
    }

    [Fact]
    public async Task BytesPerReading_RealPlatformBatches_EstimateCoversTheStoredSize()
    {
        var platform = new SimulatedPlatform(new SimulatedPlatformOptions { AgentId = Options.AgentId }, TimeProvider.System);
        var readings = await platform.ReadAsync(CancellationToken.None);
        var batch = new Shared.Protocol.ReadingBatch(1, Options.AgentId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow, readings);

        var stored = SqliteOutbox.Encode(batch).Length;

        Assert.True(stored <= (readings.Count * OutboxBudget.BytesPerReading) + OutboxBudget.BytesPerBatch, $"{readings.Count} readings take {stored} bytes");
    }

    [Fact]
    public void NominalBytes_CloversPlatformForAWeek_IsAFewHundredMegabytes()
    {
        var bytes = OutboxBudget.NominalBytes(PlatformChannels(), 1, OutboxBudget.DefaultSpan);

        Assert.InRange(bytes, 200L << 20, 500L << 20);
    }
}
