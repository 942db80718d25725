using System.Globalization;
using Clovers.Monitor.Simulation.Platform;

namespace Clovers.Monitor.Server.Control;

/// <summary>The Server's check of an HV change: known PMT, within the configured maximum, one step at most.</summary>
public static class HvPolicy
{
    /// <summary>Why the change is refused, or null when the policy allows it.</summary>
    /// <param name="currentVolts">The PMT's setpoint now; null when unknown, which refuses any change (the step cannot be checked).</param>
    public static string? Refusal(string pmt, double volts, double? currentVolts, HvControlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!SimulatedChannels.Pmts.Contains(pmt, StringComparer.Ordinal))
        {
            return $"'{pmt}' is not a PMT of CLOVERS ({string.Join(", ", SimulatedChannels.Pmts)})";
        }

        if (!double.IsFinite(volts) || volts < 0)
        {
            return $"{Volts(volts)} is not a valid setpoint";
        }

        if (volts > options.MaxVolts)
        {
            return $"{Volts(volts)} is above the configured maximum of {Volts(options.MaxVolts)}";
        }

        if (currentVolts is not { } current)
        {
            return $"the current setpoint of {pmt} is not known, so the step cannot be checked";
        }

        var step = Math.Abs(volts - current);
        if (step > options.MaxStepVolts)
        {
            return $"a step of {Volts(step)} (from {Volts(current)} to {Volts(volts)}) is larger than the maximum step of {Volts(options.MaxStepVolts)}";
        }

        return null;
    }

    private static string Volts(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " V";
}
