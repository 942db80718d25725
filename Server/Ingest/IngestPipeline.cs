using System.Threading.Channels;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// The bounded hand-off between MQTT ingest and the stages behind it. When it is full the MQTT
/// receive callback waits, so a slow stage pushes back on the broker instead of on memory.
/// </summary>
public sealed class IngestPipeline
{
    public const int Capacity = 1024;

    private readonly Channel<IngestItem> _items = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = false,
    });

    public ChannelReader<IngestItem> Reader => _items.Reader;

    public int Depth => _items.Reader.Count;

    public ValueTask PublishAsync(IngestItem item, CancellationToken cancellationToken) =>
        _items.Writer.WriteAsync(item, cancellationToken);
}

/// <summary>
/// A stage that takes every validated item, in arrival order. Stages must be quick or hand the
/// item to a bounded queue of their own; they never call each other.
/// </summary>
public interface IIngestStage
{
    string Name { get; }

    /// <summary>Items waiting in the stage's own queue, for diagnostics.</summary>
    int QueueDepth { get; }

    ValueTask ProcessAsync(IngestItem item, CancellationToken cancellationToken);
}
