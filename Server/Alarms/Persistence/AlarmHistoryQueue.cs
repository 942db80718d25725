using Clovers.Monitor.Server.Alarms.States;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>
/// The engine's hand-off to <see cref="AlarmHistoryWriter"/>, sized generously: only a writer
/// that falls far behind loses history rows.
/// </summary>
public sealed class AlarmHistoryQueue : TransitionQueue
{
    public const int DefaultCapacity = 10_000;

    public AlarmHistoryQueue(ILogger<AlarmHistoryQueue>? logger = null)
        : this(DefaultCapacity, logger)
    {
    }

    public AlarmHistoryQueue(int capacity, ILogger<AlarmHistoryQueue>? logger = null)
        : base(capacity, logger ?? NullLogger<AlarmHistoryQueue>.Instance, "NOT recorded in the alarm history")
    {
    }
}
