namespace Clovers.Monitor.Simulation.Drivers;

/// <summary>
/// A multi-channel HV supply as the agent drives it. Channels are numbered from 0 as the supply
/// numbers them; which PMT hangs on which channel is the agent's configuration.
/// </summary>
public interface IHvSupply
{
    ValueTask<string> IdentifyAsync(CancellationToken ct);

    /// <summary>The commanded voltage of a channel.</summary>
    ValueTask<double> GetSetpointAsync(int channel, CancellationToken ct);

    /// <summary>Sets a channel's setpoint; the supply ramps to it at the channel's ramp rate.</summary>
    ValueTask SetVoltageAsync(int channel, double volts, CancellationToken ct);

    ValueTask SetRampAsync(int channel, double voltsPerSecond, CancellationToken ct);

    ValueTask SetOutputAsync(int channel, bool on, CancellationToken ct);

    ValueTask<double> MeasureVoltageAsync(int channel, CancellationToken ct);

    ValueTask<double> MeasureCurrentMicroampsAsync(int channel, CancellationToken ct);
}

/// <summary>The supply answered a command with an SCPI error (<c>SYST:ERR?</c> was not <c>0,"No error"</c>).</summary>
public sealed class ScpiException : Exception
{
    public ScpiException()
    {
    }

    public ScpiException(string message)
        : base(message)
    {
    }

    public ScpiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScpiException(int code, string instrumentMessage, string command)
        : base($"the supply answered '{command}' with error {code}, \"{instrumentMessage}\"")
    {
        Code = code;
        InstrumentMessage = instrumentMessage;
    }

    public int Code { get; }

    public string? InstrumentMessage { get; }
}
