using System.Threading.Channels;

namespace Clovers.Monitor.Server.Alarms.States;

/// <summary>
/// A bounded hand-off from the engine to one consumer (history writer, hub pusher). It never
/// blocks the engine: a transition that finds the queue full is dropped, counted and logged as an
/// error naming what was lost — a missing row or push is bad, a stalled alarm engine is worse.
/// </summary>
public abstract class TransitionQueue : IAlarmTransitionSink
{
    private readonly Channel<AlarmTransition> _channel;
    private readonly ILogger _logger;
    private readonly string _lostWhat;
    private long _dropped;

    /// <param name="lostWhat">What a dropped transition means for the operator, for the log.</param>
    protected TransitionQueue(int capacity, ILogger logger, string lostWhat)
    {
        _channel = Channel.CreateBounded<AlarmTransition>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _logger = logger;
        _lostWhat = lostWhat;
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
            "{Queue} full: transition {Alarm} {From} → {To} at {At} {LostWhat} ({Dropped} lost so far)",
            GetType().Name, transition.AlarmId, transition.From, transition.To, transition.At, _lostWhat, dropped);
    }
}
