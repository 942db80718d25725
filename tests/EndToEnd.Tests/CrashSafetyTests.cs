using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Data.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>
/// The server killed with SIGKILL in the middle of a stream of readings: whatever it reported as
/// stored must still be there when a new server opens the same files, and the files must be sound.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const string AgentId = "crash-agent";
    private const string ChannelId = "daq.crash_counter";
    private const int ReadingsPerBatch = 250;

    // Enough that the kill lands with writes in flight, few enough to get there in seconds.
    private const long StoredBeforeKill = 20_000;

    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ChannelTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Server_KilledWhileIngesting_KeepsEveryReadingItReportedStoredAndSoundFiles()
    {
        using var data = new TempDirectory("crash");

        // Millisecond steps from an hour ago: unique timestamps, all within the accepted age.
        var firstTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());
        long acknowledged;
        long published;
        await using (var first = await ServerProcess.StartAsync(new ServerSettings("Embedded", FreePort.Next(), DemoEnabled: false), data.Path))
        {
            using var publisher = await ConnectAsync(first.Settings.MqttPort);
            await PublishBirthAsync(publisher);
            await WaitForChannelAsync(first);

            using var stopStream = new CancellationTokenSource();
            var stream = StreamAsync(publisher, firstTimestamp, stopStream.Token);
            try
            {
                acknowledged = (await Eventually.MatchesAsync(
                    first.GetIngestDiagnosticsAsync,
                    d => d.ReadingsStored >= StoredBeforeKill || stream.IsCompleted,
                    StreamTimeout,
                    d => $"{d.ReadingsStored} readings stored, {d.MessagesRejected} messages rejected\n{first.Output}")).ReadingsStored;
                Assert.False(stream.IsCompleted, $"The stream ended before the kill: {stream.Exception}");

                await first.KillAsync();
            }
            finally
            {
                await stopStream.CancelAsync();
                published = await stream;
            }
        }

        await using var second = await ServerProcess.StartAsync(new ServerSettings("Embedded", FreePort.Next(), DemoEnabled: false), data.Path);

        Assert.Equal("ok", await IntegrityCheckAsync(Path.Combine(data.Path, "timeseries.db")));
        Assert.Equal("ok", await IntegrityCheckAsync(Path.Combine(data.Path, "state.db")));
        Assert.Equal("started,started", await ServerEventKindsAsync(Path.Combine(data.Path, "state.db")));
        var stored = await CountStoredAsync(Path.Combine(data.Path, "timeseries.db"));
        output.WriteLine($"reported stored before the kill: {acknowledged}; found after it: {stored}; published: {published}");
        Assert.InRange(stored, acknowledged, published);

        using var republisher = await ConnectAsync(second.Settings.MqttPort);
        await PublishBirthAsync(republisher);
        await WaitForChannelAsync(second);
        var history = await second.Http.GetFromJsonAsync(
            ApiRoutes.History(ChannelId, firstTimestamp, firstTimestamp.AddMilliseconds(published), maxPoints: 100),
            ApiJsonContext.Default.ChannelHistory);
        Assert.NotNull(history);
        Assert.Equal(stored, history.Buckets.Sum(b => b.Count));
    }

    /// <summary>
    /// Publishes batches of consecutive readings, each acknowledged by the broker (QoS 1), until
    /// cancelled or the broker goes away; returns how many readings were handed to the broker.
    /// </summary>
    private static async Task<long> StreamAsync(IMqttClient publisher, DateTimeOffset firstTimestamp, CancellationToken cancellationToken)
    {
        long published = 0;
        long seq = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var readings = new Reading[ReadingsPerBatch];
            for (var i = 0; i < readings.Length; i++)
            {
                var index = published + i;
                readings[i] = new Reading(ChannelId, firstTimestamp.AddMilliseconds(index), index);
            }

            var batch = new ReadingBatch(ProtocolRules.SchemaVersion, AgentId, seq++, DateTimeOffset.UtcNow, readings);
            try
            {
                await PublishAsync(
                    publisher,
                    Topics.AgentReadings(AgentId),
                    JsonSerializer.SerializeToUtf8Bytes(batch, ProtocolJsonContext.Default.ReadingBatch),
                    retain: false,
                    cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                // Cancelled, or the server was killed with this batch in flight: it may or may not
                // have arrived, so it counts as published (the upper bound of what can be stored).
                return published + readings.Length;
            }

            published += readings.Length;
        }

        return published;
    }

    private static async Task<IMqttClient> ConnectAsync(int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(MosquittoFixture.Host, port)
            .WithClientId("crash-publisher-" + Guid.NewGuid().ToString("N"))
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(options, timeout.Token);
        return client;
    }

    private static Task PublishBirthAsync(IMqttClient publisher)
    {
        var channel = new ChannelDescriptor(ChannelId, "1", "Crash test counter", ChannelGroup.Daq, new Band(), PeriodSeconds: 0.001);
        var birth = new AgentStatusMessage(ProtocolRules.SchemaVersion, AgentId, AgentLifecycle.Online, DateTimeOffset.UtcNow)
        {
            Version = "crash-test",
            Channels = [channel],
        };
        return PublishAsync(
            publisher,
            Topics.AgentStatus(AgentId),
            JsonSerializer.SerializeToUtf8Bytes(birth, ProtocolJsonContext.Default.AgentStatusMessage),
            retain: true,
            CancellationToken.None);
    }

    private static async Task PublishAsync(IMqttClient publisher, string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await publisher.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Publishing to {topic} failed: {result.ReasonCode}");
        }
    }

    private static Task WaitForChannelAsync(ServerProcess server) =>
        Eventually.MatchesAsync(
            server.GetChannelsAsync,
            channels => channels.Any(c => c.Id == ChannelId),
            ChannelTimeout,
            channels => $"{ChannelId} not declared; channels: {string.Join(", ", channels.Select(c => c.Id))}\n{server.Output}");

    private static async Task<string?> IntegrityCheckAsync(string path)
    {
        await using var connection = OpenReadOnly(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>What the servers noted of their lives, oldest first: a start with no stop after it was a crash.</summary>
    private static async Task<string?> ServerEventKindsAsync(string path)
    {
        await using var connection = OpenReadOnly(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(kind, ',') FROM (SELECT kind FROM server_events ORDER BY id);";
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task<long> CountStoredAsync(string path)
    {
        await using var connection = OpenReadOnly(path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FROM readings AS r
            JOIN channels AS c ON c.channel_key = r.channel_key
            WHERE c.channel_id = $channel;
            """;
        command.Parameters.AddWithValue("$channel", ChannelId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    // The restarted server already recovered the write-ahead log; reading alongside it is safe.
    private static SqliteConnection OpenReadOnly(string path) =>
        new(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
}
