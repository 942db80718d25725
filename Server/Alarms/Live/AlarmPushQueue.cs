using System.Threading.Channels;
using Clovers.Monitor.Server.Alarms.States;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Alarms.Live;

/// <summary>
/// The engine's hand-off to <see cref="AlarmPusher"/>: a small bounded queue of its own, apart
/// from the channel coalescer, so alarm pushes never wait behind reading updates. Never blocks
/// the engine; a transition that finds it full is dropped, counted and logged.
/// </summary>
public sealed class AlarmPushQueue : IAlarmTransitionSink
{
    public const int DefaultCapacity = 1000;

    private readonly Channel<AlarmTransition> _channel;
    private readonly ILogger<AlarmPushQueue> _logger;
    private long _dropped;

    public AlarmPushQueue(ILogger<AlarmPushQueue>? logger = null)
        : this(DefaultCapacity, logger)
    {
    }

    public AlarmPushQueue(int capacity, ILogger<AlarmPushQueue>? logger = null)
    {
        _channel = Channel.CreateBounded<AlarmTransition>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _logger = logger ?? NullLogger<AlarmPushQueue>.Instance;
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<AlarmTransition> Reader => _channel.Reader;

    public void Publish(AlarmTransition transition)
    {
        if (!_channel.Writer.TryWrite(transition))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            _logger.LogError("Alarm push queue full: {Alarm} → {To} not pushed to browsers ({Dropped} lost so far)", transition.AlarmId, transition.To, dropped);
        }
    }
}
