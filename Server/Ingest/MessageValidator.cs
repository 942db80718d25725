using System.Buffers;
using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// Turns one raw MQTT message into an <see cref="IngestItem"/> or a rejection. Pure apart from
/// the catalogue of declared channels it keeps from birth messages (its own state, owned here):
/// a reading of a channel its agent never declared is refused, which bounds memory however
/// many ids a broken publisher invents.
/// </summary>
public sealed class MessageValidator
{
    /// <summary>Most agents the catalogue remembers; births beyond it are refused.</summary>
    public const int MaxAgents = 256;

    private readonly Dictionary<string, HashSet<string>> _declaredChannels = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public MessageValidation Validate(string topic, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        if (!Topics.TryParseAgentTopic(topic, out var topicAgentId, out var suffix))
        {
            return MessageValidation.Reject(RejectionReasons.UnknownTopic, "?", $"topic '{PayloadJson.Truncate(topic)}' is not a protocol v1 agent topic");
        }

        if (!ProtocolRules.IsValidSourceId(topicAgentId))
        {
            return MessageValidation.Reject(RejectionReasons.BadSourceId, "?", $"agent id '{PayloadJson.Truncate(topicAgentId)}' in the topic is not valid");
        }

        if (payload.Length > ProtocolRules.MaxPayloadBytes)
        {
            return MessageValidation.Reject(RejectionReasons.Oversize, topicAgentId, $"payload of {payload.Length} bytes exceeds {ProtocolRules.MaxPayloadBytes}");
        }

        return suffix switch
        {
            Topics.ReadingsSuffix => ValidateReadings(topicAgentId, payload, now),
            Topics.StatusSuffix => ValidateStatus(topicAgentId, payload, now),
            _ => MessageValidation.Reject(RejectionReasons.UnknownTopic, topicAgentId, $"topic suffix '{PayloadJson.Truncate(suffix)}' is not ingested"),
        };
    }

    private MessageValidation ValidateReadings(string agentId, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        if (!PayloadJson.TryDeserialize(payload, ProtocolJsonContext.Default.ReadingBatch, out var batch, out var error))
        {
            return MessageValidation.Reject(RejectionReasons.MalformedJson, agentId, error);
        }

        if (batch.Schema != ProtocolRules.SchemaVersion)
        {
            return MessageValidation.Reject(RejectionReasons.SchemaVersion, agentId, $"schema {batch.Schema} is not {ProtocolRules.SchemaVersion}");
        }

        if (!string.Equals(batch.AgentId, agentId, StringComparison.Ordinal))
        {
            return MessageValidation.Reject(RejectionReasons.SourceIdMismatch, agentId, $"agentId '{PayloadJson.Truncate(batch.AgentId)}' differs from the topic's");
        }

        if (batch.Readings is null)
        {
            return MessageValidation.Reject(RejectionReasons.MalformedJson, agentId, "readings are missing");
        }

        if (batch.Readings.Count > ProtocolRules.MaxReadingsPerBatch)
        {
            return MessageValidation.Reject(RejectionReasons.TooManyReadings, agentId, $"{batch.Readings.Count} readings exceed {ProtocolRules.MaxReadingsPerBatch}");
        }

        HashSet<string>? declared;
        lock (_gate)
        {
            _declaredChannels.TryGetValue(agentId, out declared);
        }

        var accepted = new List<Reading>(batch.Readings.Count);
        List<ReadingRejection>? rejected = null;
        foreach (var reading in batch.Readings)
        {
            var reason = CheckReading(reading, declared, now);
            if (reason is null)
            {
                accepted.Add(reading with { Timestamp = reading.Timestamp.ToUniversalTime() });
            }
            else
            {
                (rejected ??= []).Add(new ReadingRejection(reason, reading?.Channel));
            }
        }

        return new MessageValidation(
            new AcceptedReadings(agentId, now, batch.Seq, batch.Historical, accepted),
            null,
            agentId,
            null,
            rejected ?? (IReadOnlyList<ReadingRejection>)[])
        {
            BirthMissing = declared is null,
        };
    }

    private static string? CheckReading(Reading? reading, HashSet<string>? declared, DateTimeOffset now)
    {
        if (reading is null || !ProtocolRules.IsValidChannelId(reading.Channel))
        {
            return RejectionReasons.BadChannelId;
        }

        if (!double.IsFinite(reading.Value))
        {
            return RejectionReasons.NonFiniteValue;
        }

        if (reading.Timestamp - now > ProtocolRules.MaxClockAhead)
        {
            return RejectionReasons.TimestampInFuture;
        }

        if (now - reading.Timestamp > ProtocolRules.MaxAge)
        {
            return RejectionReasons.TimestampTooOld;
        }

        // Declared channels are read without the lock: the set is replaced, never mutated.
        return declared is null || !declared.Contains(reading.Channel) ? RejectionReasons.UnknownChannel : null;
    }

    private MessageValidation ValidateStatus(string agentId, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        if (payload.Length == 0)
        {
            // An empty retained message is how MQTT clears a retained status: the agent is gone.
            var cleared = new AgentStatusMessage(ProtocolRules.SchemaVersion, agentId, AgentLifecycle.Offline, now);
            return MessageValidation.Accept(new AgentStatusChanged(agentId, now, cleared));
        }

        if (!PayloadJson.TryDeserialize(payload, ProtocolJsonContext.Default.AgentStatusMessage, out var status, out var error))
        {
            return MessageValidation.Reject(RejectionReasons.MalformedJson, agentId, error);
        }

        if (status.Schema != ProtocolRules.SchemaVersion)
        {
            return MessageValidation.Reject(RejectionReasons.SchemaVersion, agentId, $"schema {status.Schema} is not {ProtocolRules.SchemaVersion}");
        }

        if (!string.Equals(status.AgentId, agentId, StringComparison.Ordinal))
        {
            return MessageValidation.Reject(RejectionReasons.SourceIdMismatch, agentId, $"agentId '{PayloadJson.Truncate(status.AgentId)}' differs from the topic's");
        }

        var channels = status.Channels ?? [];
        if (channels.Count > ProtocolRules.MaxChannelsPerAgent)
        {
            return MessageValidation.Reject(RejectionReasons.TooManyChannels, agentId, $"{channels.Count} channels exceed {ProtocolRules.MaxChannelsPerAgent}");
        }

        foreach (var channel in channels)
        {
            var problem = DescribeDescriptorProblem(channel);
            if (problem is not null)
            {
                return MessageValidation.Reject(problem.Value.Reason, agentId, problem.Value.Detail);
            }
        }

        if (!double.IsFinite(status.HeartbeatSeconds) || status.HeartbeatSeconds <= 0 || status.HeartbeatSeconds > 3600)
        {
            return MessageValidation.Reject(RejectionReasons.BadDescriptor, agentId, $"heartbeatSeconds {status.HeartbeatSeconds} is outside (0, 3600]");
        }

        if (status.State == AgentLifecycle.Online)
        {
            lock (_gate)
            {
                if (!_declaredChannels.ContainsKey(agentId) && _declaredChannels.Count >= MaxAgents)
                {
                    return MessageValidation.Reject(RejectionReasons.TooManyAgents, agentId, $"more than {MaxAgents} agents");
                }

                _declaredChannels[agentId] = channels.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            }
        }

        return MessageValidation.Accept(new AgentStatusChanged(agentId, now, status with { Channels = channels }));
    }

    private static (string Reason, string Detail)? DescribeDescriptorProblem(ChannelDescriptor? channel)
    {
        if (channel is null || !ProtocolRules.IsValidChannelId(channel.Id))
        {
            return (RejectionReasons.BadChannelId, $"channel id '{PayloadJson.Truncate(channel?.Id)}' is not valid");
        }

        if (channel.Unit is null || channel.Unit.Length > 32 || channel.Description is null || channel.Description.Length > 256)
        {
            return (RejectionReasons.BadDescriptor, $"channel '{channel.Id}' needs a unit (≤ 32 chars) and a description (≤ 256 chars)");
        }

        if (channel.Nominal is null || !double.IsFinite(channel.PeriodSeconds) || channel.PeriodSeconds <= 0 || !Enum.IsDefined(channel.Group))
        {
            return (RejectionReasons.BadDescriptor, $"channel '{channel.Id}' needs a group, a nominal band and a positive periodSeconds");
        }

        foreach (var band in new[] { channel.Nominal, channel.Warn, channel.Alarm })
        {
            if (band is not null && (band.Low is { } low && !double.IsFinite(low) || band.High is { } high && !double.IsFinite(high) || band.Low > band.High))
            {
                return (RejectionReasons.BadDescriptor, $"channel '{channel.Id}' has a band with non-finite or crossed limits");
            }
        }

        return null;
    }
}

/// <summary>A reading refused inside an otherwise accepted batch.</summary>
public sealed record ReadingRejection(string Reason, string? Channel);

/// <summary>
/// The outcome for one message: an item to pass on (possibly with some of its readings refused),
/// or a rejection of the whole message with its reason and a human-readable detail.
/// </summary>
public sealed record MessageValidation(
    IngestItem? Item,
    string? RejectionReason,
    string SourceId,
    string? Detail,
    IReadOnlyList<ReadingRejection> RejectedReadings)
{
    /// <summary>Readings came from an agent whose birth has not been seen: ask it to publish one.</summary>
    public bool BirthMissing { get; init; }

    public static MessageValidation Accept(IngestItem item) => new(item, null, item.AgentId, null, []);

    public static MessageValidation Reject(string reason, string sourceId, string detail) => new(null, reason, sourceId, detail, []);
}
