using Clovers.Monitor.Shared.Alarms;
namespace Clovers.Monitor.Server.Alarms.States;

/// <summary>Keeps the latest transitions in memory (bounded): for tests and diagnostics.</summary>
public sealed class RecordingTransitionSink(int capacity = 10_000) : IAlarmTransitionSink
{
    private readonly Lock _gate = new();
    private readonly Queue<AlarmTransition> _transitions = new();

    public IReadOnlyList<AlarmTransition> Transitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _transitions];
            }
        }
    }

    public void Publish(AlarmTransition transition)
    {
        lock (_gate)
        {
            if (_transitions.Count == capacity)
            {
                _transitions.Dequeue();
            }

            _transitions.Enqueue(transition);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _transitions.Clear();
        }
    }
}
