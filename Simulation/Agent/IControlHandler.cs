using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>Carries out control requests that reach the agent on its commands topic; the runtime publishes the reply.</summary>
public interface IControlHandler
{
    ValueTask<ControlReply> HandleAsync(ControlRequest request, CancellationToken ct);
}
