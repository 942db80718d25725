using System.Globalization;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Server.Control;

/// <summary>The audit action of an HV command.</summary>
public static class ControlAuditActions
{
    public const string HvSet = "control.hv-set";
}

/// <summary>Writes each HV command to the audit log: target agent/PMT, old and new setpoint, outcome, reason.</summary>
internal sealed class AuditedControl(IAuditLog audit) : IControlAudit
{
    public async Task RecordAsync(ControlCommandView command, CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(
            command.CompletedAt ?? command.RequestedAt,
            command.User,
            ControlAuditActions.HvSet,
            $"{command.AgentId}/{command.Pmt}",
            command.OldVolts is { } old ? Volts(old) : null,
            Volts(command.NewVolts),
            ControlCommandStore.OutcomeText(command.Outcome),
            command.Reason is null ? $"command {command.CommandId}" : $"command {command.CommandId}: {command.Reason}");
        // The command is done whatever the caller does now: its audit entry must not be lost to a closed browser tab.
        await audit.AppendAsync(entry, CancellationToken.None);
    }

    private static string Volts(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + " V";
}
