using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Server.Control;

/// <summary>Where commanded changes are audited (old value, new value, result).</summary>
public interface IControlAudit
{
    Task RecordAsync(ControlCommandView command, CancellationToken cancellationToken);
}
