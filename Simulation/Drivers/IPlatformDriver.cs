using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Simulation.Drivers;

/// <summary>
/// The seam between the agent runtime and whatever it reads: the simulated platform today,
/// hardware drivers (HV crate, level meter, temperature monitor) later.
/// </summary>
public interface IPlatformDriver
{
    /// <summary>
    /// Every channel the driver can deliver; announced in the agent's birth message. The ids stay
    /// fixed, but a description may change after a control command (bands around a new setpoint);
    /// the agent then announces them again.
    /// </summary>
    IReadOnlyList<ChannelDescriptor> Channels { get; }

    /// <summary>
    /// Reads the channels that are due now. A channel whose <see cref="ChannelDescriptor.PeriodSeconds"/>
    /// has not elapsed since its last reading may be left out.
    /// </summary>
    ValueTask<IReadOnlyList<Reading>> ReadAsync(CancellationToken ct);
}
