using System.Buffers;
using System.Text;
using System.Text.Json;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Ingest;

public sealed class MessageValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);
    private readonly MessageValidator _validator = new();

    [Fact]
    public void Validate_BirthThenReadings_AcceptsDeclaredChannels()
    {
        Birth("platform-1", "cryo.ln2.level");

        var result = Readings("platform-1", new Reading("cryo.ln2.level", Now, 80));

        var accepted = Assert.IsType<AcceptedReadings>(result.Item);
        Assert.Single(accepted.Readings);
        Assert.Empty(result.RejectedReadings);
    }

    [Fact]
    public void Validate_Garbage_RejectsAsMalformedJson()
    {
        var result = _validator.Validate(Topics.AgentReadings("x"), Bytes("not json at all {"), Now);

        Assert.Null(result.Item);
        Assert.Equal(RejectionReasons.MalformedJson, result.RejectionReason);
        Assert.Equal("x", result.SourceId);
    }

    [Fact]
    public void Validate_WrongSchemaVersion_Rejects()
    {
        Birth("a1", "beam.power");
        var json = Serialize(new ReadingBatch(2, "a1", 1, Now, [new Reading("beam.power", Now, 1)]));

        Assert.Equal(RejectionReasons.SchemaVersion, _validator.Validate(Topics.AgentReadings("a1"), Bytes(json), Now).RejectionReason);
    }

    [Fact]
    public void Validate_AgentIdDiffersFromTopic_Rejects()
    {
        var json = Serialize(new ReadingBatch(1, "someone-else", 1, Now, []));

        Assert.Equal(RejectionReasons.SourceIdMismatch, _validator.Validate(Topics.AgentReadings("a1"), Bytes(json), Now).RejectionReason);
    }

    [Fact]
    public void Validate_PayloadOverLimit_RejectsUnread()
    {
        var payload = new byte[ProtocolRules.MaxPayloadBytes + 1];

        Assert.Equal(RejectionReasons.Oversize, _validator.Validate(Topics.AgentReadings("a1"), new ReadOnlySequence<byte>(payload), Now).RejectionReason);
    }

    [Fact]
    public void Validate_TooManyReadings_Rejects()
    {
        Birth("a1", "beam.power");
        var readings = Enumerable.Range(0, ProtocolRules.MaxReadingsPerBatch + 1).Select(i => new Reading("beam.power", Now.AddMilliseconds(-i), i)).ToList();

        Assert.Equal(RejectionReasons.TooManyReadings, Readings("a1", [.. readings]).RejectionReason);
    }

    [Fact]
    public void Validate_UnknownTopicSuffix_Rejects() =>
        Assert.Equal(RejectionReasons.UnknownTopic, _validator.Validate("clovers/v1/agents/a1/other", Bytes("{}"), Now).RejectionReason);

    [Fact]
    public void Validate_BadAgentIdInTopic_Rejects() =>
        Assert.Equal(RejectionReasons.BadSourceId, _validator.Validate("clovers/v1/agents/Bad Agent/readings", Bytes("{}"), Now).RejectionReason);

    [Fact]
    public void Validate_UndeclaredChannel_RefusesThatReadingAndKeepsTheOthers()
    {
        Birth("a1", "beam.power");

        var result = Readings("a1", new Reading("beam.power", Now, 140), new Reading("beam.energy", Now, 1.6));

        var accepted = Assert.IsType<AcceptedReadings>(result.Item);
        Assert.Equal("beam.power", Assert.Single(accepted.Readings).Channel);
        Assert.Equal(RejectionReasons.UnknownChannel, Assert.Single(result.RejectedReadings).Reason);
    }

    [Theory]
    [InlineData(10, RejectionReasons.TimestampInFuture)]
    [InlineData(-60 * 24 * 40, RejectionReasons.TimestampTooOld)]
    public void Validate_TimestampOutsideWindow_RefusesReading(int offsetMinutes, string reason)
    {
        Birth("a1", "beam.power");

        var result = Readings("a1", new Reading("beam.power", Now.AddMinutes(offsetMinutes), 1));

        Assert.Equal(reason, Assert.Single(result.RejectedReadings).Reason);
    }

    [Fact]
    public void Validate_NonFiniteNumberInJson_RejectsMessage()
    {
        Birth("a1", "beam.power");
        const string json = """{"schema":1,"agentId":"a1","seq":1,"sentAt":"2026-11-26T20:00:00Z","readings":[{"channel":"beam.power","timestamp":"2026-11-26T20:00:00Z","value":"NaN"}]}""";

        Assert.Equal(RejectionReasons.MalformedJson, _validator.Validate(Topics.AgentReadings("a1"), Bytes(json), Now).RejectionReason);
    }

    [Fact]
    public void Validate_DeepNesting_RejectsAsMalformed()
    {
        var json = new string('[', 5000) + new string(']', 5000);

        Assert.Equal(RejectionReasons.MalformedJson, _validator.Validate(Topics.AgentReadings("a1"), Bytes(json), Now).RejectionReason);
    }

    [Fact]
    public void Validate_BirthWithBadChannelId_Rejects()
    {
        var status = new AgentStatusMessage(1, "a1", AgentLifecycle.Online, Now) { Channels = [Descriptor("Not Valid")] };

        var result = _validator.Validate(Topics.AgentStatus("a1"), Bytes(JsonSerializer.Serialize(status, ProtocolJsonContext.Default.AgentStatusMessage)), Now);

        Assert.Equal(RejectionReasons.BadChannelId, result.RejectionReason);
    }

    [Fact]
    public void Validate_BirthWithCrossedBand_Rejects()
    {
        var status = new AgentStatusMessage(1, "a1", AgentLifecycle.Online, Now) { Channels = [Descriptor("beam.power") with { Warn = new Band(10, 5) }] };

        var result = _validator.Validate(Topics.AgentStatus("a1"), Bytes(JsonSerializer.Serialize(status, ProtocolJsonContext.Default.AgentStatusMessage)), Now);

        Assert.Equal(RejectionReasons.BadDescriptor, result.RejectionReason);
    }

    [Fact]
    public void Validate_EmptyStatusPayload_MeansOffline()
    {
        var result = _validator.Validate(Topics.AgentStatus("a1"), ReadOnlySequence<byte>.Empty, Now);

        var status = Assert.IsType<AgentStatusChanged>(result.Item);
        Assert.Equal(AgentLifecycle.Offline, status.Status.State);
    }

    [Fact]
    public void Validate_BirthFromOneAgentTooMany_Rejects()
    {
        for (var i = 0; i < MessageValidator.MaxAgents; i++)
        {
            Birth($"agent-{i}", "beam.power");
        }

        var status = new AgentStatusMessage(1, "one-more", AgentLifecycle.Online, Now) { Channels = [Descriptor("beam.power")] };
        var result = _validator.Validate(Topics.AgentStatus("one-more"), Bytes(JsonSerializer.Serialize(status, ProtocolJsonContext.Default.AgentStatusMessage)), Now);

        Assert.Equal(RejectionReasons.TooManyAgents, result.RejectionReason);
    }

    [Fact]
    public void Validate_ReadingTimestampWithOffset_IsNormalisedToUtc()
    {
        Birth("a1", "beam.power");
        var local = new DateTimeOffset(2026, 11, 27, 4, 0, 0, TimeSpan.FromHours(8));

        var result = Readings("a1", new Reading("beam.power", local, 1));

        Assert.Equal(TimeSpan.Zero, Assert.IsType<AcceptedReadings>(result.Item).Readings[0].Timestamp.Offset);
    }

    private void Birth(string agentId, params string[] channels)
    {
        var status = new AgentStatusMessage(1, agentId, AgentLifecycle.Online, Now) { Channels = [.. channels.Select(Descriptor)] };
        var result = _validator.Validate(Topics.AgentStatus(agentId), Bytes(JsonSerializer.Serialize(status, ProtocolJsonContext.Default.AgentStatusMessage)), Now);
        Assert.NotNull(result.Item);
    }

    private MessageValidation Readings(string agentId, params Reading[] readings) =>
        _validator.Validate(Topics.AgentReadings(agentId), Bytes(Serialize(new ReadingBatch(1, agentId, 1, Now, readings))), Now);

    private static ChannelDescriptor Descriptor(string id) => new(id, "kW", "test channel", ChannelGroup.Beam, new Band(0, 200), 1);

    private static string Serialize(ReadingBatch batch) => JsonSerializer.Serialize(batch, ProtocolJsonContext.Default.ReadingBatch);

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
