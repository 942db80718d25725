namespace Clovers.Monitor.Simulation.Instruments;

/// <summary>The SCPI-99 error codes the HV supply command set uses (answered by <c>SYST:ERR?</c> as <c>code,"message"</c>).</summary>
public static class ScpiErrors
{
    public const int NoError = 0;
    public const int CommandError = -100;
    public const int DataTypeError = -104;
    public const int ParameterNotAllowed = -108;
    public const int MissingParameter = -109;
    public const int UndefinedHeader = -113;
    public const int IllegalParameterValue = -224;
    public const int DataOutOfRange = -222;
    public const int QueueOverflow = -350;
}
