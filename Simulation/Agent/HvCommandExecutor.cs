using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Drivers;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// Sets PMT high voltages on an <see cref="IHvSupply"/>, one command at a time. Before anything
/// reaches the supply the request is held against the agent's hard limits (<see cref="HvControlOptions"/>);
/// a refusal says why and sends nothing. Every result is remembered by command id, so a retried
/// request is answered with the first result and the supply sees the command once.
/// </summary>
public sealed partial class HvCommandExecutor : IControlHandler, IDisposable
{
    private readonly HvControlOptions _options;
    private readonly IHvSupply _supply;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ControlReply> _results = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public HvCommandExecutor(HvControlOptions options, IHvSupply supply, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(supply);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _supply = supply;
        _time = time;
        _logger = logger;
    }

    public void Dispose() => _gate.Dispose();

    public async ValueTask<ControlReply> HandleAsync(ControlRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(ct);
        try
        {
            if (_results.TryGetValue(request.CommandId, out var first))
            {
                Log.Repeated(_logger, request.CommandId, first.Outcome);
                return first with { Repeated = true };
            }

            var reply = await ExecuteAsync(request, ct);
            Remember(reply);
            Log.Done(_logger, request.CommandId, request.Pmt, request.Volts, reply.Outcome, reply.Reason, request.User);
            return reply;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ControlReply> ExecuteAsync(ControlRequest request, CancellationToken ct)
    {
        if (Refusal(request, out var channel) is { } reason)
        {
            return Reply(request, ControlOutcome.Refused, reason, previous: null);
        }

        double? previous = null;
        try
        {
            previous = await _supply.GetSetpointAsync(channel, ct);
            await _supply.SetRampAsync(channel, request.RampVoltsPerSecond, ct);
            await _supply.SetVoltageAsync(channel, request.Volts, ct);
            return Reply(request, ControlOutcome.Accepted, null, previous);
        }
        catch (Exception ex) when (ex is ScpiException or IOException or TimeoutException)
        {
            return Reply(request, ControlOutcome.Failed, ex.Message, previous);
        }
    }

    private string? Refusal(ControlRequest request, out int channel)
    {
        channel = -1;
        if (!string.Equals(request.Command, ControlCommands.SetHv, StringComparison.Ordinal))
        {
            return $"the agent does not know the command '{request.Command}'";
        }

        if (!_options.Enabled)
        {
            return "this agent has no HV supply to control (Agent:Hv:Enabled is false)";
        }

        if (!_options.Channels.TryGetValue(request.Pmt, out channel))
        {
            return $"the agent has no supply channel for PMT '{request.Pmt}'";
        }

        if (!double.IsFinite(request.Volts) || request.Volts < 0)
        {
            return $"{request.Volts} V is not a valid setpoint";
        }

        if (request.Volts > _options.HardMaxVolts)
        {
            return $"{request.Volts:0.#} V is above the agent's hard limit of {_options.HardMaxVolts:0.#} V (R11065 maximum)";
        }

        if (!double.IsFinite(request.RampVoltsPerSecond) || request.RampVoltsPerSecond <= 0 || request.RampVoltsPerSecond > _options.HardMaxRampVoltsPerSecond)
        {
            return $"a ramp of {request.RampVoltsPerSecond:0.#} V/s is outside the agent's limit of (0, {_options.HardMaxRampVoltsPerSecond:0.#}] V/s";
        }

        return null;
    }

    private ControlReply Reply(ControlRequest request, ControlOutcome outcome, string? reason, double? previous) =>
        new(ProtocolRules.SchemaVersion, request.CommandId, outcome, reason, previous, request.Volts, _time.GetUtcNow());

    private void Remember(ControlReply reply)
    {
        if (_order.Count >= Math.Max(1, _options.RememberedCommands))
        {
            _results.Remove(_order.Dequeue());
        }

        _results[reply.CommandId] = reply;
        _order.Enqueue(reply.CommandId);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "HV command {CommandId}: PMT {Pmt} to {Volts} V by {User}: {Outcome} {Reason}")]
        public static partial void Done(ILogger logger, string commandId, string pmt, double volts, ControlOutcome outcome, string? reason, string? user);

        [LoggerMessage(2, LogLevel.Information, "HV command {CommandId} repeated: answered with its first result ({Outcome}), nothing sent to the supply")]
        public static partial void Repeated(ILogger logger, string commandId, ControlOutcome outcome);
    }
}
