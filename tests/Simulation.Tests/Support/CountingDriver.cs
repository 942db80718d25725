using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Drivers;

namespace Clovers.Monitor.Simulation.Tests.Support;

/// <summary>A driver whose one channel counts its reads, so that a gap in what arrives is visible.</summary>
public sealed class CountingDriver : IPlatformDriver
{
    public const string Channel = "test.counter";

    private long _reads;

    public IReadOnlyList<ChannelDescriptor> Channels { get; } =
        [new ChannelDescriptor(Channel, "1", "Reads so far", ChannelGroup.Daq, new Band(0, null), 0.05)];

    public long Reads => Interlocked.Read(ref _reads);

    public ValueTask<IReadOnlyList<Reading>> ReadAsync(CancellationToken ct)
    {
        var value = Interlocked.Increment(ref _reads);
        return ValueTask.FromResult<IReadOnlyList<Reading>>([new Reading(Channel, DateTimeOffset.UtcNow, value)]);
    }
}
