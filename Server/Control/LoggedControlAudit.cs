using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Server.Control;

/// <summary>Audit until the audit log exists: the command row in state.db already holds old value, new value and result.</summary>
internal sealed class LoggedControlAudit : IControlAudit
{
    public Task RecordAsync(ControlCommandView command, CancellationToken cancellationToken) => Task.CompletedTask;
}
