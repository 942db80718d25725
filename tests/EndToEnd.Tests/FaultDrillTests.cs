using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;
using Clovers.Monitor.Shared.Api;
using Xunit.Abstractions;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>
/// Fault drills with real processes: the edge agent, the Server and mosquitto, each broken the way
/// a night shift would meet it. Every batch carries one <c>agent.{id}.outbox_depth</c> reading,
/// so counting that channel's stored points through the API counts stored batches; the agent
/// logs the first and last batch numbers it used, so the expected count is known exactly.
/// </summary>
public sealed partial class FaultDrillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task BrokerDownForAMinute_AgentBuffers_EveryBatchStoredExactlyOnceAfterRecovery()
    {
        await using var broker = new MosquittoFixture { Persistent = true };
        await broker.InitializeAsync();
        using var data = new TempDirectory("drill-broker");
        await using var server = await ServerProcess.StartAsync(ServerSettings.External(broker.Port), data.Path);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var agent = EdgeAgentProcess.Start("drill-broker", broker.Port, "--Agent:ReconnectMaxSeconds=2");
        await WaitForStoredAsync(server, agent, from, atLeast: 3);

        await broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(60));
        await broker.StartAgainAsync();
        var duringOutage = await WaitForStoredAsync(server, agent, from, atLeast: 60);

        await AssertEveryBatchStoredOnceAsync(server, agent, from);
        output.WriteLine($"stored batches right after recovery: {duringOutage}");
    }

    [Fact]
    public async Task ServerKilledMidIngest_Restarted_NoAcknowledgedBatchIsMissing()
    {
        await using var broker = new MosquittoFixture { Persistent = true };
        await broker.InitializeAsync();
        using var data = new TempDirectory("drill-server");
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var first = await ServerProcess.StartAsync(ServerSettings.External(broker.Port), data.Path);
        await using var agent = EdgeAgentProcess.Start("drill-server", broker.Port, "--Agent:SampleIntervalSeconds=0.05", "--Agent:HeartbeatSeconds=1");
        try
        {
            await WaitForStoredAsync(first, agent, from, atLeast: 40);
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The agent goes on publishing; the broker keeps it in the Server's persistent session.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await using var second = await ServerProcess.StartAsync(ServerSettings.External(broker.Port), data.Path);

        await AssertEveryBatchStoredOnceAsync(second, agent, from);
        var diagnostics = await second.GetIngestDiagnosticsAsync();
        output.WriteLine($"after restart: {diagnostics.MessagesReceived} received, stale-sequence {diagnostics.RejectedByReason.GetValueOrDefault("stale-sequence")}");
    }

    [Fact]
    public async Task AgentKilledWithABacklog_Restarted_ReplaysItsOutbox()
    {
        await using var broker = new MosquittoFixture { Persistent = true };
        await broker.InitializeAsync();
        using var data = new TempDirectory("drill-agent");
        await using var server = await ServerProcess.StartAsync(ServerSettings.External(broker.Port), data.Path);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await using var agent = EdgeAgentProcess.Start("drill-agent", broker.Port, "--Agent:SampleIntervalSeconds=0.2", "--Agent:ReconnectMaxSeconds=1");
        await WaitForStoredAsync(server, agent, from, atLeast: 3);

        await broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await agent.KillAsync();
        await broker.StartAgainAsync();
        await agent.RestartAsync();
        await Eventually.MatchesAsync(
            () => Task.FromResult(agent.Process.Output),
            log => log.Contains("Connected to broker", StringComparison.Ordinal),
            CatchUpTimeout,
            log => $"the restarted agent did not connect:\n{log}");

        await AssertEveryBatchStoredOnceAsync(server, agent, from);
        Assert.Matches(FromBeforeRegex(), agent.Output);
    }

    [Fact]
    public async Task AgentClockAnHourAhead_ReadingsRefusedAsTimestampInFutureAndCounted()
    {
        await using var server = await ServerProcess.StartAsync(new ServerSettings("Embedded", FreePort.Next(), DemoEnabled: false));
        await using var agent = EdgeAgentProcess.Start("drill-clock", server.Settings.MqttPort, "--Agent:ClockOffsetSeconds=3600");

        var diagnostics = await Eventually.MatchesAsync(
            server.GetIngestDiagnosticsAsync,
            d => d.RejectedByReason.GetValueOrDefault("timestamp-in-future") >= 100,
            CatchUpTimeout,
            d => $"rejections: {string.Join(", ", d.RejectedByReason)}\n{agent.Output}");

        Assert.True(diagnostics.RejectedBySource.GetValueOrDefault("drill-clock") >= 100);
        Assert.Equal(0, await StoredBatchesAsync(server, agent.AgentId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(3)));
    }

    private static string DepthChannel(string agentId) => $"agent.{agentId}.outbox_depth";

    private static async Task<long> StoredBatchesAsync(ServerProcess server, string agentId, DateTimeOffset from, DateTimeOffset? to = null)
    {
        var history = await server.Http.GetAsync(ApiRoutes.History(DepthChannel(agentId), from, to ?? DateTimeOffset.UtcNow.AddMinutes(1), maxPoints: 1000));
        if (history.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        history.EnsureSuccessStatusCode();
        var body = await history.Content.ReadFromJsonAsync(ApiJsonContext.Default.ChannelHistory);
        return body!.Buckets.Sum(b => b.Count);
    }

    private static Task<long> WaitForStoredAsync(ServerProcess server, EdgeAgentProcess agent, DateTimeOffset from, long atLeast) =>
        Eventually.MatchesAsync(
            () => StoredBatchesAsync(server, agent.AgentId, from),
            stored => stored >= atLeast,
            CatchUpTimeout,
            stored => $"{stored} of {atLeast} batches stored\nagent:\n{agent.Output}\nserver:\n{server.Output}");

    /// <summary>Stops the agent cleanly, then checks that every batch number it used is stored once.</summary>
    private async Task AssertEveryBatchStoredOnceAsync(ServerProcess server, EdgeAgentProcess agent, DateTimeOffset from)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        await agent.StopAsync();
        var log = agent.Output;
        var firstSeq = long.Parse(FirstBatchRegex().Match(log).Groups[1].Value, CultureInfo.InvariantCulture);
        var stopped = StoppedRegex().Matches(log)[^1];
        var waiting = long.Parse(stopped.Groups[1].Value, CultureInfo.InvariantCulture);
        var lastSeq = long.Parse(stopped.Groups[2].Value, CultureInfo.InvariantCulture);
        var expected = lastSeq - firstSeq + 1 - waiting;

        var stored = await Eventually.MatchesAsync(
            () => StoredBatchesAsync(server, agent.AgentId, from),
            n => n >= expected,
            CatchUpTimeout,
            n => $"{n} of {expected} batches stored (numbers {firstSeq}–{lastSeq}, {waiting} left at stop)\nagent:\n{log}\nserver:\n{server.Output}");

        output.WriteLine($"batches {firstSeq}–{lastSeq}, {waiting} left at stop: expected {expected}, stored {stored}");
        Assert.Equal(expected, stored);
        Assert.InRange(waiting, 0, 5);
        var diagnostics = await server.GetIngestDiagnosticsAsync();
        Assert.Equal(0, diagnostics.SequenceGaps);
    }

    [GeneratedRegex(@"First batch number (\d+)")]
    private static partial Regex FirstBatchRegex();

    [GeneratedRegex(@"(\d+) left in the outbox; last batch number (\d+)")]
    private static partial Regex StoppedRegex();

    [GeneratedRegex(@"First batch number \d+; [1-9]\d* batches waiting in the outbox from before")]
    private static partial Regex FromBeforeRegex();
}
