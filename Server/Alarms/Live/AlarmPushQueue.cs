using Clovers.Monitor.Server.Alarms.States;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Alarms.Live;

/// <summary>
/// The engine's hand-off to <see cref="AlarmPusher"/>: a small bounded queue of its own, apart
/// from the channel coalescer, so alarm pushes never wait behind reading updates.
/// </summary>
public sealed class AlarmPushQueue : TransitionQueue
{
    public const int DefaultCapacity = 1000;

    public AlarmPushQueue(ILogger<AlarmPushQueue>? logger = null)
        : this(DefaultCapacity, logger)
    {
    }

    public AlarmPushQueue(int capacity, ILogger<AlarmPushQueue>? logger = null)
        : base(capacity, logger ?? NullLogger<AlarmPushQueue>.Instance, "not pushed to browsers")
    {
    }
}
