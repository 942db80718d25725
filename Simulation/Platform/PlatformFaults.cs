namespace Clovers.Monitor.Simulation.Platform;

/// <summary>
/// Faults injected into the simulated platform. Thread-safe: set from a request thread while the
/// sampler reads.
/// </summary>
public sealed class PlatformFaults
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);

    /// <summary>Names <see cref="Set"/> and <see cref="Clear"/> accept.</summary>
    public IReadOnlyList<string> Known => FaultNames.Platform;

    /// <summary>A snapshot of the active faults, sorted by name.</summary>
    public IReadOnlyList<string> Active
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Activates a fault; setting an active fault again does nothing.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Known"/>.</exception>
    public void Set(string name)
    {
        ThrowIfUnknown(name);
        lock (_gate)
        {
            _active.Add(name);
        }
    }

    /// <summary>Clears a fault; clearing an inactive fault does nothing.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Known"/>.</exception>
    public void Clear(string name)
    {
        ThrowIfUnknown(name);
        lock (_gate)
        {
            _active.Remove(name);
        }
    }

    public void ClearAll()
    {
        lock (_gate)
        {
            _active.Clear();
        }
    }

    public bool IsActive(string name)
    {
        lock (_gate)
        {
            return _active.Contains(name);
        }
    }

    private static void ThrowIfUnknown(string name)
    {
        if (name is null || !FaultNames.Platform.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Unknown fault '{name}'. Known faults: {string.Join(", ", FaultNames.Platform)}.",
                nameof(name));
        }
    }
}
