using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// Checks <see cref="AgentOptions"/> and reports every problem at once, so that a bad
/// configuration is fixed in one go and fails at start, not at 3 a.m.
/// </summary>
/// <param name="availableChannels">
/// The channel ids the driver offers for given options, to reject unknown ids in
/// <see cref="AgentOptions.Channels"/>; null checks only their syntax.
/// </param>
public sealed class AgentOptionsValidator(Func<AgentOptions, IEnumerable<string>>? availableChannels = null)
    : IValidateOptions<AgentOptions>
{
    private const string Section = AgentOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();

        if (!ProtocolRules.IsValidSourceId(options.AgentId))
        {
            problems.Add($"{Section}:{nameof(options.AgentId)} '{options.AgentId}' is not a valid agent id (lower-case letters, digits, '-' and '_', at most 32 characters: {ProtocolRules.SourceIdPattern}).");
        }

        if (string.IsNullOrWhiteSpace(options.BrokerHost))
        {
            problems.Add($"{Section}:{nameof(options.BrokerHost)} is empty.");
        }

        if (options.BrokerPort is < 1 or > 65535)
        {
            problems.Add($"{Section}:{nameof(options.BrokerPort)} {options.BrokerPort} is outside 1–65535.");
        }

        RequirePositive(problems, nameof(options.SampleIntervalSeconds), options.SampleIntervalSeconds);
        RequirePositive(problems, nameof(options.HeartbeatSeconds), options.HeartbeatSeconds);
        RequirePositive(problems, nameof(options.ReconnectMinSeconds), options.ReconnectMinSeconds);
        RequirePositive(problems, nameof(options.ReconnectMaxSeconds), options.ReconnectMaxSeconds);

        if (options.ReconnectMinSeconds > options.ReconnectMaxSeconds)
        {
            problems.Add($"{Section}:{nameof(options.ReconnectMinSeconds)} ({options.ReconnectMinSeconds}) is greater than {nameof(options.ReconnectMaxSeconds)} ({options.ReconnectMaxSeconds}).");
        }

        // Every batch carries the uptime channel: batches are the heartbeat the birth message promises.
        if (options.SampleIntervalSeconds > options.HeartbeatSeconds)
        {
            problems.Add($"{Section}:{nameof(options.SampleIntervalSeconds)} ({options.SampleIntervalSeconds}) is greater than {nameof(options.HeartbeatSeconds)} ({options.HeartbeatSeconds}); batches are the heartbeat.");
        }

        if (options.OutboxCapacity < 1)
        {
            problems.Add($"{Section}:{nameof(options.OutboxCapacity)} {options.OutboxCapacity} must be at least 1 batch.");
        }

        if (options.OutboxMaxBytes < 0)
        {
            problems.Add($"{Section}:{nameof(options.OutboxMaxBytes)} {options.OutboxMaxBytes} must be 0 (a week of nominal traffic) or a positive number of bytes.");
        }

        if (!double.IsFinite(options.ClockOffsetSeconds) || Math.Abs(options.ClockOffsetSeconds) > TimeSpan.FromDays(366).TotalSeconds)
        {
            problems.Add($"{Section}:{nameof(options.ClockOffsetSeconds)} ({options.ClockOffsetSeconds}) must be finite and within a year.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            problems.Add($"{Section}:{nameof(options.Password)} is set but {nameof(options.Username)} is empty.");
        }

        ValidateChannels(problems, options);

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private void ValidateChannels(List<string> problems, AgentOptions options)
    {
        var channels = options.Channels ?? [];
        var malformed = channels.Where(id => !ProtocolRules.IsValidChannelId(id)).ToList();
        if (malformed.Count > 0)
        {
            problems.Add($"{Section}:{nameof(options.Channels)} has malformed ids: {string.Join(", ", malformed.Select(id => $"'{id}'"))} (pattern {ProtocolRules.ChannelIdPattern}).");
        }

        if (availableChannels is null || channels.Count == 0)
        {
            return;
        }

        // The agent's own channels carry its id; with a bad id they are already reported above.
        var agentIdValid = ProtocolRules.IsValidSourceId(options.AgentId);
        var available = availableChannels(options).ToHashSet(StringComparer.Ordinal);
        var unknown = channels
            .Where(id => ProtocolRules.IsValidChannelId(id) && !available.Contains(id))
            .Where(id => agentIdValid || !id.StartsWith("agent.", StringComparison.Ordinal))
            .ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"{Section}:{nameof(options.Channels)} has ids the platform does not offer: {string.Join(", ", unknown)}.");
        }
    }

    private static void RequirePositive(List<string> problems, string key, double value)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            problems.Add($"{Section}:{key} ({value}) must be a positive number of seconds.");
        }
    }
}
