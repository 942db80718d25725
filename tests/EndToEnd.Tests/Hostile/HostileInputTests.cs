using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace Clovers.Monitor.EndToEnd.Tests.Hostile;

/// <summary>
/// The committed hostile corpus (<c>Hostile/corpus</c>, described in <c>Hostile/README.md</c>) and a
/// few generated floods, sent one message at a time through the Server's real broker: after every
/// message the Server still answers, the message was counted as received, and a refused one was
/// counted under a reason. Memory (RSS of the process) is read before and after.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HostileInputTests(HostileServerFixture fixture, ITestOutputHelper output)
{
    private const string UnknownChannelsAgent = "hostile-unknown";

    // Generous: the first requests and the JIT grow a fresh process; a leak of the corpus would be far above.
    private const long MaxRssGrowthBytes = 200L << 20;

    private static readonly TimeSpan CountTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Corpus_AgentTopics_EveryMessageCountedAndEveryRefusalHasAReason()
    {
        var server = await fixture.GetServerAsync();
        await using var publisher = await HostilePublisher.ConnectAsync(server.Settings.MqttPort);
        var rssBefore = ReadRss(server.ProcessId);
        var entries = CorpusEntry.Load().Where(e => e.Expected is not ("daq" or "not-delivered")).ToList();
        Assert.True(entries.Count >= 150, $"only {entries.Count} agent-topic entries");
        var problems = new List<string>();

        foreach (var entry in entries)
        {
            var before = await server.GetIngestDiagnosticsAsync();
            await publisher.PublishAsync(entry.Topic, entry.Payload());
            var after = await WaitForReceivedAsync(server, before, 1, entry.File);
            var reasons = ReasonDeltas(before, after);
            var rejections = reasons.Values.Sum();

            var problem = entry.Expected switch
            {
                "accepted-empty" or "accepted-birth" when after.MessagesAccepted != before.MessagesAccepted + 1 => "was not accepted",
                "accepted-empty" or "accepted-birth" => null,
                var reason when reason.StartsWith("reading:", StringComparison.Ordinal) =>
                    reasons.GetValueOrDefault(reason["reading:".Length..]) >= 1 ? null : $"expected {reason}",
                var reason when reason.StartsWith("readings-", StringComparison.Ordinal) =>
                    reasons.GetValueOrDefault(reason["readings-".Length..].Split(':')[0]) == long.Parse(reason.Split(':')[1], CultureInfo.InvariantCulture) ? null : $"expected {reason}",
                "rejected" => rejections >= 1 ? null : "refused without a reason",
                var reason when after.MessagesRejected != before.MessagesRejected + 1 => $"expected the message refused as {reason}",
                var reason => reasons.GetValueOrDefault(reason) == 1 ? null : $"expected {reason}",
            };
            if (problem is not null)
            {
                problems.Add($"{entry.File}: {problem}, counted {Describe(reasons)}");
            }
        }

        Assert.Empty(problems);
        await AssertStillHealthyAsync(server);
        var rssAfter = ReadRss(server.ProcessId);
        output.WriteLine($"{entries.Count} corpus messages; RSS {rssBefore >> 20} MiB before, {rssAfter >> 20} MiB after");
        Assert.InRange(rssAfter - rssBefore, long.MinValue, MaxRssGrowthBytes);
    }

    [Fact]
    public async Task TenThousandUnknownChannelsFromOneAgent_AllRefusedAsUnknownChannel()
    {
        var server = await fixture.GetServerAsync();
        await using var publisher = await HostilePublisher.ConnectAsync(server.Settings.MqttPort);
        var birth = new AgentStatusMessage(ProtocolRules.SchemaVersion, UnknownChannelsAgent, AgentLifecycle.Online, DateTimeOffset.UtcNow)
        {
            Channels = [new ChannelDescriptor("hostile.known", "1", "the one declared channel", ChannelGroup.Daq, new Band(), 1)],
        };
        await publisher.PublishAsync(Topics.AgentStatus(UnknownChannelsAgent), JsonSerializer.SerializeToUtf8Bytes(birth, ProtocolJsonContext.Default.AgentStatusMessage));
        var before = await server.GetIngestDiagnosticsAsync();

        var seq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var chunk = 0; chunk < 2; chunk++)
        {
            var now = DateTimeOffset.UtcNow;
            var readings = Enumerable.Range(chunk * 5000, 5000)
                .Select(i => new Reading(string.Create(CultureInfo.InvariantCulture, $"hostile.unknown{i:D5}"), now, i))
                .ToArray();
            var batch = new ReadingBatch(ProtocolRules.SchemaVersion, UnknownChannelsAgent, seq + chunk, now, readings);
            await publisher.PublishAsync(Topics.AgentReadings(UnknownChannelsAgent), JsonSerializer.SerializeToUtf8Bytes(batch, ProtocolJsonContext.Default.ReadingBatch));
        }

        var after = await Eventually.MatchesAsync(
            server.GetIngestDiagnosticsAsync,
            d => d.RejectedByReason.GetValueOrDefault("unknown-channel") - before.RejectedByReason.GetValueOrDefault("unknown-channel") >= 10_000,
            CountTimeout,
            d => $"unknown-channel refusals: {d.RejectedByReason.GetValueOrDefault("unknown-channel")}");
        Assert.Equal(10_000, after.RejectedByReason["unknown-channel"] - before.RejectedByReason.GetValueOrDefault("unknown-channel"));
        Assert.DoesNotContain(await server.GetChannelsAsync(), c => c.Id.StartsWith("hostile.unknown", StringComparison.Ordinal));
        await AssertStillHealthyAsync(server);
    }

    [Theory]
    [InlineData(1_048_577)]
    [InlineData(1_100_000)]
    [InlineData(1_500_000)]
    [InlineData(8_000_000)]
    public async Task OversizeMessage_RefusedAsOversize(int bytes)
    {
        var server = await fixture.GetServerAsync();
        await using var publisher = await HostilePublisher.ConnectAsync(server.Settings.MqttPort);
        var before = await server.GetIngestDiagnosticsAsync();
        var payload = Encoding.UTF8.GetBytes("{\"schema\":1,\"junk\":\"" + new string('x', bytes) + "\"}");

        await publisher.PublishAsync(Topics.AgentReadings("hostile-big"), payload, expectRefusal: true);

        var after = await WaitForReceivedAsync(server, before, 1, $"{bytes} bytes");
        Assert.Equal(1, ReasonDeltas(before, after).GetValueOrDefault("oversize"));
        await AssertStillHealthyAsync(server);
    }

    [Fact]
    public async Task Corpus_DaqHistogramTopic_EveryMessageCountedAsReceivedAndRefused()
    {
        var server = await fixture.GetServerAsync();
        await using var publisher = await HostilePublisher.ConnectAsync(server.Settings.MqttPort);
        var entries = CorpusEntry.Load().Where(e => e.Expected == "daq").ToList();
        Assert.True(entries.Count >= 40);

        foreach (var entry in entries)
        {
            var before = await server.GetIngestDiagnosticsAsync();
            await publisher.PublishAsync(entry.Topic, entry.Payload());
            var after = await WaitForReceivedAsync(server, before, 1, entry.File);
            Assert.True(after.MessagesRejected == before.MessagesRejected + 1, $"{entry.File} was not refused");
        }

        await AssertStillHealthyAsync(server);
    }

    private static async Task<IngestDiagnostics> WaitForReceivedAsync(ServerProcess server, IngestDiagnostics before, int messages, string what) =>
        await Eventually.MatchesAsync(
            server.GetIngestDiagnosticsAsync,
            // Received is counted first, the verdict (accepted or refused) right after.
            d => d.MessagesReceived >= before.MessagesReceived + messages
                && d.MessagesAccepted + d.MessagesRejected >= before.MessagesAccepted + before.MessagesRejected + messages,
            CountTimeout,
            d => $"{what}: {d.MessagesReceived - before.MessagesReceived} of {messages} counted as received\n{server.Output}");

    private static Dictionary<string, long> ReasonDeltas(IngestDiagnostics before, IngestDiagnostics after) =>
        after.RejectedByReason
            .Select(p => (p.Key, Delta: p.Value - before.RejectedByReason.GetValueOrDefault(p.Key)))
            .Where(p => p.Delta != 0)
            .ToDictionary(p => p.Key, p => p.Delta, StringComparer.Ordinal);

    private static string Describe(Dictionary<string, long> reasons) =>
        reasons.Count == 0 ? "no reason counted" : string.Join(", ", reasons.Select(p => $"{p.Key}={p.Value}"));

    private static async Task AssertStillHealthyAsync(ServerProcess server)
    {
        Assert.False(server.HasExited, $"the server exited:\n{server.Output}");
        using var health = await server.Http.GetAsync(ApiRoutes.Health);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>Resident memory of a process in bytes, from <c>/proc/{pid}/status</c>.</summary>
    internal static long ReadRss(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes * 1024;
    }
}

/// <summary>One committed corpus message: its file, the topic it goes to, and what the Server must make of it.</summary>
internal sealed record CorpusEntry(string File, string Topic, string Expected)
{
    private static string Folder => Path.Combine(RepoPaths.RootDirectory, "tests", "EndToEnd.Tests", "Hostile", "corpus");

    public static IReadOnlyList<CorpusEntry> Load() =>
        [.. System.IO.File.ReadLines(Path.Combine(Folder, "..", "manifest.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(parts => new CorpusEntry(parts[0], parts[1], parts[2]))];

    /// <summary>The payload, with <c>{{NOW}}</c> replaced by the present so that time checks pass where the file means them to.</summary>
    public byte[] Payload()
    {
        var bytes = System.IO.File.ReadAllBytes(Path.Combine(Folder, File));
        if (!File.EndsWith(".json", StringComparison.Ordinal))
        {
            return bytes;
        }

        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("{{NOW}}", now, StringComparison.Ordinal));
    }
}

/// <summary>A plain MQTT 5 client that publishes anything at QoS 1 and waits for the broker's answer.</summary>
internal sealed class HostilePublisher : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public static async Task<HostilePublisher> ConnectAsync(int port)
    {
        var publisher = new HostilePublisher();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(MosquittoFixture.Host, port)
            .WithClientId("hostile-" + Guid.NewGuid().ToString("N"))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await publisher._client.ConnectAsync(options, timeout.Token);
        return publisher;
    }

    public async Task PublishAsync(string topic, byte[] payload, bool expectRefusal = false)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await _client.PublishAsync(message, timeout.Token);
        if (!expectRefusal && !result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused a message to {topic}: {result.ReasonCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}

/// <summary>One Server (embedded broker, no demo) for the hostile tests, started on first use.</summary>
public sealed class HostileServerFixture : IAsyncLifetime
{
    private readonly LazyServer _server = new(() => new ServerSettings("Embedded", FreePort.Next(), DemoEnabled: false));

    public Task<ServerProcess> GetServerAsync() => _server.GetAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileServerFixture>
{
    public const string Name = "hostile input against one server";
}
