using System.Globalization;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Shared.Api;

/// <summary>An alarm event of a shift: raised, acknowledged, or still open at its end.</summary>
public sealed record HandoverAlarm(
    string AlarmId,
    string RuleId,
    string Name,
    AlarmSeverity Severity,
    AlarmState State,
    DateTimeOffset At,
    string User,
    string? Comment);

/// <summary>Alarms of the shift, from the alarm history.</summary>
public sealed record HandoverAlarms(
    IReadOnlyList<HandoverAlarm> Raised,
    IReadOnlyList<HandoverAlarm> Acknowledged,
    IReadOnlyList<HandoverAlarm> StillOpen);

/// <summary>
/// Beam delivered, integrated from stored <c>beam.power</c>: energy, protons on target
/// (energy / proton energy) and exposure (detector mass × days at nominal power).
/// <see cref="CoveredHours"/> is how much of the shift has stored readings at all.
/// </summary>
public sealed record HandoverBeam(
    double EnergyKilowattHours,
    double ProtonsOnTarget,
    double ExposureKilogramDays,
    double BeamOnHours,
    double MeanPowerKilowatts,
    double CoveredHours);

/// <summary>An LN2 refill: the level rose from <see cref="FromPercent"/> to <see cref="ToPercent"/> starting at <see cref="At"/>.</summary>
public sealed record HandoverRefill(DateTimeOffset At, double FromPercent, double ToPercent);

/// <summary>A change of a PMT high-voltage setpoint seen in its stored history.</summary>
public sealed record HandoverHvChange(string Channel, DateTimeOffset At, double? FromVolts, double ToVolts)
{
    /// <summary>The accepted HV command of the monitor the change came from; null when it did not come through the monitor (set at the supply or by another program).</summary>
    public HandoverHvCommand? Command { get; init; }
}

/// <summary>An HV command accepted through the monitor: who set which PMT from what to what, and when the agent accepted it.</summary>
public sealed record HandoverHvCommand(string CommandId, string AgentId, string User, DateTimeOffset At, double? OldVolts, double NewVolts);

/// <summary>Answer of <c>GET /api/handover</c>: what happened in the window [From, To).</summary>
public sealed record HandoverReport(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    HandoverAlarms Alarms,
    HandoverBeam Beam,
    IReadOnlyList<HandoverRefill> Refills,
    IReadOnlyList<HandoverHvChange> HvChanges,
    IReadOnlyList<LogbookEntry> Logbook);

/// <summary>Routes of the handover report.</summary>
public static class HandoverRoutes
{
    public const string Report = "/api/handover";

    /// <summary>The report of [from, to) (the current shift when both are null) as json, html or markdown.</summary>
    public static string For(DateTimeOffset? from, DateTimeOffset? to, string format = "json")
    {
        var parts = new List<string>();
        if (from is { } f)
        {
            parts.Add("from=" + Uri.EscapeDataString(f.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (to is { } t)
        {
            parts.Add("to=" + Uri.EscapeDataString(t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (!string.Equals(format, "json", StringComparison.Ordinal))
        {
            parts.Add("format=" + Uri.EscapeDataString(format));
        }

        return parts.Count == 0 ? Report : Report + "?" + string.Join('&', parts);
    }
}
