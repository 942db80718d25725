using Clovers.Monitor.Simulation.Platform;

namespace Clovers.Monitor.Server.Demo;

/// <summary>
/// Faults injected into the simulated platform, including <c>agent-silent</c>, which mutes the
/// demo agent itself. Exists only when the demo runs.
/// </summary>
public sealed class SimulationFaults
{
    private readonly SimulatedPlatform _platform;
    private readonly DemoPlatformService _demo;

    public SimulationFaults(SimulatedPlatform platform, DemoPlatformService demo)
    {
        _platform = platform;
        _demo = demo;
    }

    public static IReadOnlyList<string> Known => FaultNames.All;

    public IReadOnlyList<string> Active =>
        [.. _platform.Faults.Active.Concat(_demo.Runtime.Silenced ? [FaultNames.AgentSilent] : []).Order(StringComparer.Ordinal)];

    /// <summary>Turns a fault on or off; false when the name is unknown.</summary>
    public bool TrySet(string name, bool active)
    {
        if (name == FaultNames.AgentSilent)
        {
            _demo.Runtime.Silenced = active;
            return true;
        }

        if (!_platform.Faults.Known.Contains(name, StringComparer.Ordinal))
        {
            return false;
        }

        if (active)
        {
            _platform.Faults.Set(name);
        }
        else
        {
            _platform.Faults.Clear(name);
        }

        return true;
    }
}
