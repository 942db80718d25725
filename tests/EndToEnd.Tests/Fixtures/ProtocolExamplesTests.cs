using Clovers.Monitor.EndToEnd.Tests.Infrastructure;

namespace Clovers.Monitor.EndToEnd.Tests.Fixtures;

/// <summary>The extraction of examples from docs/protocol.md, on a small document written here.</summary>
public sealed class ProtocolExamplesTests
{
    private const string Document = """
        # Protocol

        Prose with a fence that is not an example:

        ```json
        { "ignored": true }
        ```

        <!-- mqtt-example topic="clovers/v1/agents/daq-py/status" retain="true" -->
        ```json
        {
          "schema": 1,
          "agentId": "daq-py",
          "state": "online",
          "timestamp": "{{now}}",
          "channels": [ { "id": "daq.rate.trigger" }, { "id": "daq.rate.live" } ]
        }
        ```

        <!-- mqtt-example topic="clovers/v1/agents/daq-py/readings" retain="false" -->
        ```json
        { "readings": [ { "channel": "daq.rate.trigger", "timestamp": "{{now-2s}}", "value": 1 } ] }
        ```

        <!-- mqtt-example topic="clovers/v1/agents/daq-py/readings" expect="rejected" -->
        ```json
        { "sentAt": "2026-10-01T08:00:01.500Z", "readings": [ { "timestamp": "2026-10-01T08:00:00Z" } ] }
        ```
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_MarkedFences_ReturnsOnlyThoseWithTopicAndRetainInDocumentOrder()
    {
        var examples = ProtocolExamples.Parse(Document);

        Assert.Collection(
            examples,
            status => Assert.Equal(("clovers/v1/agents/daq-py/status", true, false), (status.Topic, status.Retain, status.ExpectRejected)),
            readings => Assert.Equal(("clovers/v1/agents/daq-py/readings", false, false), (readings.Topic, readings.Retain, readings.ExpectRejected)),
            rejected => Assert.Equal(("clovers/v1/agents/daq-py/readings", false, true), (rejected.Topic, rejected.Retain, rejected.ExpectRejected)));
    }

    [Fact]
    public void DeclaredChannels_StatusExample_ListsItsChannelIds()
    {
        var status = ProtocolExamples.Parse(Document)[0];

        Assert.Equal(["daq.rate.trigger", "daq.rate.live"], status.DeclaredChannels);
    }

    [Fact]
    public void ReportedChannels_ReadingsExample_ListsItsChannelIds()
    {
        var readings = ProtocolExamples.Parse(Document)[1];

        Assert.Equal(["daq.rate.trigger"], readings.ReportedChannels);
    }

    [Fact]
    public void Render_NowPlaceholders_BecomeUtcIsoTimesKeepingTheRestVerbatim()
    {
        var readings = ProtocolExamples.Parse(Document)[1];

        Assert.Equal(
            "{ \"readings\": [ { \"channel\": \"daq.rate.trigger\", \"timestamp\": \"2026-11-26T11:59:58.000Z\", \"value\": 1 } ] }",
            readings.Render(Now, TimeSpan.Zero));
    }

    [Fact]
    public void Render_LiteralTimestamps_MovesEachByTheShiftKeepingTheRestVerbatim()
    {
        var rejected = ProtocolExamples.Parse(Document)[2];

        Assert.Equal(
            "{ \"sentAt\": \"2026-11-26T12:00:01.500Z\", \"readings\": [ { \"timestamp\": \"2026-11-26T12:00:00.000Z\" } ] }",
            rejected.Render(Now, TimeSpan.FromDays(56) + TimeSpan.FromHours(4)));
    }

    [Fact]
    public void ShiftToNow_ExamplesWithLiteralTimestamps_MovesTheLatestOfAllToNow()
    {
        var examples = ProtocolExamples.Parse(Document);

        Assert.Equal(Now - new DateTimeOffset(2026, 10, 1, 8, 0, 1, 500, TimeSpan.Zero), ProtocolExamples.ShiftToNow(examples, Now));
    }

    [Fact]
    public void Parse_MarkerWithoutJsonFence_Throws()
    {
        const string Broken = "<!-- mqtt-example topic=\"clovers/v1/agents/a/status\" retain=\"true\" -->\nno fence\n";

        Assert.Throws<FormatException>(() => ProtocolExamples.Parse(Broken));
    }
}
