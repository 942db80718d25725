using System.Threading.Channels;
using Clovers.Monitor.Server.Alarms.States;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>
/// The engine's hand-off to <see cref="AlarmHistoryWriter"/>: a bounded queue that never blocks
/// the engine. When the writer falls so far behind that it is full, transitions are dropped,
/// counted and logged as errors: a missing history row is bad, a stalled alarm engine is worse.
/// </summary>
public sealed class AlarmHistoryQueue : IAlarmTransitionSink
{
    public const int DefaultCapacity = 10_000;

    private readonly Channel<AlarmTransition> _channel;
    private readonly ILogger<AlarmHistoryQueue> _logger;
    private long _dropped;

    public AlarmHistoryQueue(ILogger<AlarmHistoryQueue>? logger = null)
        : this(DefaultCapacity, logger)
    {
    }

    public AlarmHistoryQueue(int capacity, ILogger<AlarmHistoryQueue>? logger = null)
    {
        _channel = Channel.CreateBounded<AlarmTransition>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _logger = logger ?? NullLogger<AlarmHistoryQueue>.Instance;
    }

    /// <summary>Transitions lost because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Depth => _channel.Reader.Count;

    public ChannelReader<AlarmTransition> Reader => _channel.Reader;

    public void Publish(AlarmTransition transition)
    {
        if (_channel.Writer.TryWrite(transition))
        {
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        _logger.LogError(
            "Alarm history queue full: transition {Alarm} {From} → {To} at {At} NOT recorded ({Dropped} lost so far)",
            transition.AlarmId, transition.From, transition.To, transition.At, dropped);
    }
}
