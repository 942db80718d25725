namespace Clovers.Monitor.Server.Control;

/// <summary>
/// One turn at a time per agent. A gate exists only while someone holds or awaits it, so the
/// table never holds more entries than there are commands under way, however many agent ids
/// have been seen.
/// </summary>
internal sealed class AgentGates
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Gates in use now.</summary>
    public int Count
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Waits for <paramref name="agentId"/>'s turn; disposing the answer ends it.</summary>
    public async Task<IDisposable> EnterAsync(string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(agentId, out gate!))
            {
                gate = new Gate();
                _gates.Add(agentId, gate);
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(agentId, gate);
            throw;
        }

        return new Turn(this, agentId, gate);
    }

    private void Leave(string agentId, Gate gate)
    {
        lock (_gates)
        {
            // Every user counted itself in under this lock, so none can still reach a gate that drops to zero.
            if (--gate.Users == 0)
            {
                _gates.Remove(agentId);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Holder and waiters; guarded by the table's lock.</summary>
        public int Users { get; set; }
    }

    private sealed class Turn(AgentGates owner, string agentId, Gate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Semaphore.Release();
                owner.Leave(agentId, gate);
            }
        }
    }
}
