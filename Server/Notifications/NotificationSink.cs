using System.Threading.Channels;
using Clovers.Monitor.Server.Alarms.States;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>
/// Takes alarm transitions from the engine (under its lock) into a bounded queue at once; the
/// <see cref="NotificationWriter"/> does the rest. A full queue drops the transition and counts it:
/// the engine must never wait on notifications.
/// </summary>
public sealed class NotificationSink(ILogger<NotificationSink> logger) : IAlarmTransitionSink
{
    public const int Capacity = 4096;

    private readonly Channel<AlarmTransition> _queue = Channel.CreateBounded<AlarmTransition>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    internal ChannelReader<AlarmTransition> Reader => _queue.Reader;

    public void Publish(AlarmTransition transition)
    {
        if (!_queue.Writer.TryWrite(transition))
        {
            // Under the engine lock: log the first drop and then every thousandth, not each one.
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped % 1000 == 1)
            {
                logger.LogWarning("Notification queue full: transition of {AlarmId} to {State} dropped ({Dropped} so far)", transition.AlarmId, transition.To, dropped);
            }
        }
    }
}
