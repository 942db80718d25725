using System.Collections.Concurrent;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Control;

/// <summary>How a control command went, as the endpoint answers it.</summary>
public enum HvCommandVerdict
{
    /// <summary>Sent to the agent; its outcome (accepted, refused, failed or unknown) is in the view.</summary>
    Completed,

    /// <summary>The Server's policy refused it; nothing was sent.</summary>
    PolicyRefused,

    /// <summary>The command id was used before for a different change.</summary>
    IdConflict,
}

public sealed record HvCommandResult(HvCommandVerdict Verdict, ControlCommandView Command);

/// <summary>
/// Carries out <c>POST /api/control/hv</c>: the Server's policy first, then the MQTT request and
/// the wait for its reply; every command is stored with its outcome and audited. One command at
/// a time per agent, so that two commands to the same supply never interleave and the step limit
/// is always checked against the setpoint the last one left; commands to different agents run
/// side by side, so a silent agent holds back only its own commands.
/// A command id seen before is answered from the store when its outcome is final, and sent again
/// (the agent answers a repeat without acting twice) when it was unknown.
/// </summary>
public sealed partial class ControlService : IDisposable
{
    private readonly IOptionsMonitor<HvControlOptions> _options;
    private readonly ControlRequester _requester;
    private readonly ControlCommandStore _store;
    private readonly LiveStateStore _live;
    private readonly IControlAudit _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<ControlService> _logger;
    private readonly AgentGates _agentGates = new();

    // Looking up a command id and recording it is one step across all agents, so an id reused for
    // another agent meets the first use (a conflict) instead of racing it into the store.
    private readonly SemaphoreSlim _claim = new(1, 1);
    private readonly ConcurrentDictionary<string, (double Volts, DateTimeOffset At)> _lastAccepted = new(StringComparer.Ordinal);

    public ControlService(
        IOptionsMonitor<HvControlOptions> options,
        ControlRequester requester,
        ControlCommandStore store,
        LiveStateStore live,
        IControlAudit audit,
        TimeProvider time,
        ILogger<ControlService> logger)
    {
        _options = options;
        _requester = requester;
        _store = store;
        _live = live;
        _audit = audit;
        _time = time;
        _logger = logger;
    }

    public HvPolicyView Policy
    {
        get
        {
            var o = _options.CurrentValue;
            return new HvPolicyView(o.MaxVolts, o.MaxStepVolts, o.RampVoltsPerSecond, o.ReplyTimeoutSeconds);
        }
    }

    public Task<IReadOnlyList<ControlCommandView>> RecentAsync(CancellationToken cancellationToken) =>
        _store.RecentAsync(_options.CurrentValue.HistoryLimit, cancellationToken);

    public async Task<HvCommandResult> SetHvAsync(HvCommandRequest request, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var turn = await _agentGates.EnterAsync(request.AgentId, cancellationToken);
        var options = _options.CurrentValue;
        ControlCommandView command;
        await _claim.WaitAsync(cancellationToken);
        try
        {
            var earlier = await _store.FindAsync(request.CommandId, cancellationToken);
            if (earlier is not null)
            {
                if (earlier.AgentId != request.AgentId || earlier.Pmt != request.Pmt || earlier.NewVolts != request.Volts)
                {
                    return new HvCommandResult(HvCommandVerdict.IdConflict, earlier);
                }

                if (earlier.Outcome is not (ControlOutcome.Unknown or ControlOutcome.Pending))
                {
                    return new HvCommandResult(earlier.Reason?.StartsWith(PolicyPrefix, StringComparison.Ordinal) == true ? HvCommandVerdict.PolicyRefused : HvCommandVerdict.Completed, earlier);
                }
            }

            var requestedAt = earlier?.RequestedAt ?? Now();
            var current = earlier?.OldVolts ?? CurrentSetpoint(request.AgentId, request.Pmt);
            command = new ControlCommandView(request.CommandId, request.AgentId, request.Pmt, current, request.Volts, ControlOutcome.Pending, null, user, requestedAt, null);

            // A retry of an unknown command was checked when first sent; the step is against the setpoint of then.
            if (earlier is null && HvPolicy.Refusal(request.Pmt, request.Volts, current, options) is { } refusal)
            {
                command = command with { Outcome = ControlOutcome.Refused, Reason = PolicyPrefix + refusal, CompletedAt = Now() };
                await FinishAsync(command, cancellationToken);
                return new HvCommandResult(HvCommandVerdict.PolicyRefused, command);
            }

            await _store.SaveAsync(command, cancellationToken);
        }
        finally
        {
            _claim.Release();
        }

        command = await SendAsync(command, options, cancellationToken);
        await FinishAsync(command, cancellationToken);
        return new HvCommandResult(HvCommandVerdict.Completed, command);
    }

    /// <summary>Agents with a command in flight or waiting: the gates in use, which are dropped when idle.</summary>
    internal int ActiveAgentGates => _agentGates.Count;

    public void Dispose() => _claim.Dispose();

    /// <summary>Marks the Server's own refusals, so a repeat of the id is answered as one.</summary>
    public const string PolicyPrefix = "Server policy: ";

    private async Task<ControlCommandView> SendAsync(ControlCommandView command, HvControlOptions options, CancellationToken cancellationToken)
    {
        var request = new ControlRequest(ProtocolRules.SchemaVersion, ControlCommands.SetHv, Now(), command.CommandId, command.Pmt, command.NewVolts, options.RampVoltsPerSecond)
        {
            User = command.User,
        };
        try
        {
            var reply = await _requester.RequestAsync(command.AgentId, request, TimeSpan.FromSeconds(options.ReplyTimeoutSeconds), cancellationToken);
            if (reply is null)
            {
                return command with { Outcome = ControlOutcome.Unknown, Reason = $"no reply from agent {command.AgentId} within {options.ReplyTimeoutSeconds:0.#} s; retry with the same command id to find out", CompletedAt = Now() };
            }

            var outcome = reply.Outcome is ControlOutcome.Accepted or ControlOutcome.Refused or ControlOutcome.Failed ? reply.Outcome : ControlOutcome.Unknown;
            if (outcome == ControlOutcome.Accepted)
            {
                _lastAccepted[Key(command.AgentId, command.Pmt)] = (command.NewVolts, reply.At);
            }

            var reason = outcome == ControlOutcome.Refused && reply.Reason is { } why ? "Agent: " + why : reply.Reason;
            return command with { Outcome = outcome, Reason = reason, OldVolts = reply.PreviousVolts ?? command.OldVolts, CompletedAt = Now() };
        }
        catch (InvalidOperationException ex)
        {
            return command with { Outcome = ControlOutcome.Failed, Reason = "not sent: " + ex.Message, CompletedAt = Now() };
        }
    }

    private async Task FinishAsync(ControlCommandView command, CancellationToken cancellationToken)
    {
        await _store.SaveAsync(command, CancellationToken.None);
        Log.Command(_logger, command.CommandId, command.User, command.AgentId, command.Pmt, command.OldVolts, command.NewVolts, command.Outcome, command.Reason);
        await _audit.RecordAsync(command, cancellationToken);
    }

    /// <summary>
    /// The setpoint the agent publishes, unless a command accepted since is newer than that
    /// reading (the new setpoint may still be on its way through ingest).
    /// </summary>
    private double? CurrentSetpoint(string agentId, string pmt)
    {
        var live = _live.Find(SimulatedChannels.PmtHvSet(pmt));
        var published = live is { Value: { } value, Timestamp: { } at } && live.AgentId == agentId ? (value, at) : ((double, DateTimeOffset)?)null;
        if (_lastAccepted.TryGetValue(Key(agentId, pmt), out var accepted) && (published is null || accepted.At > published.Value.Item2))
        {
            return accepted.Volts;
        }

        return published?.Item1;
    }

    // To the millisecond, as state.db keeps it, so an answer from the store equals the first one.
    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private static string Key(string agentId, string pmt) => agentId + "/" + pmt;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "HV command {CommandId} by {User}: {AgentId}/{Pmt} {OldVolts} V → {NewVolts} V: {Outcome} {Reason}")]
        public static partial void Command(ILogger logger, string commandId, string user, string agentId, string pmt, double? oldVolts, double newVolts, ControlOutcome outcome, string? reason);
    }
}
