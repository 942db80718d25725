using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.State;

public sealed class AgentHistoryRecorderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly TemporaryStateDatabase _temporary = new();
    private AgentHistoryRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        var database = _temporary.Open();
        await database.MigrateAsync();
        _recorder = new AgentHistoryRecorder(database);
    }

    public Task DisposeAsync()
    {
        _temporary.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ProcessAsync_FirstBirth_RecordsTheAgentFirstAndLastSeenThen()
    {
        await _recorder.ProcessAsync(Birth("daq-1", Monday, "1.0.0"), CancellationToken.None);

        Assert.Equal("2026-03-02T08:00:00.000Z|2026-03-02T08:00:00.000Z|1.0.0|host-a", await RowAsync("daq-1"));
    }

    [Fact]
    public async Task ProcessAsync_LaterBirth_KeepsFirstSeenAndUpdatesTheRest()
    {
        await _recorder.ProcessAsync(Birth("daq-1", Monday, "1.0.0"), CancellationToken.None);

        await _recorder.ProcessAsync(Birth("daq-1", Monday.AddDays(1), "1.1.0"), CancellationToken.None);

        Assert.Equal("2026-03-02T08:00:00.000Z|2026-03-03T08:00:00.000Z|1.1.0|host-a", await RowAsync("daq-1"));
    }

    [Fact]
    public async Task ProcessAsync_OfflineAfterBirth_RefreshesLastSeenAndKeepsTheVersion()
    {
        await _recorder.ProcessAsync(Birth("daq-1", Monday, "1.0.0"), CancellationToken.None);

        await _recorder.ProcessAsync(Offline("daq-1", Monday.AddMinutes(5)), CancellationToken.None);

        Assert.Equal("2026-03-02T08:00:00.000Z|2026-03-02T08:05:00.000Z|1.0.0|host-a", await RowAsync("daq-1"));
    }

    [Fact]
    public async Task ProcessAsync_Readings_WritesNothing()
    {
        var readings = new AcceptedReadings("daq-1", Monday, 1, Historical: false, [new Reading("pmt.hv.ch1", Monday, 1500)]);

        await _recorder.ProcessAsync(readings, CancellationToken.None);

        Assert.Equal(0L, await _temporary.ScalarAsync("SELECT count(*) FROM agents_seen;"));
    }

    private static AgentStatusChanged Birth(string agentId, DateTimeOffset at, string version) =>
        new(agentId, at, new AgentStatusMessage(ProtocolRules.SchemaVersion, agentId, AgentLifecycle.Online, at) { Version = version, Host = "host-a" });

    private static AgentStatusChanged Offline(string agentId, DateTimeOffset at) =>
        new(agentId, at, new AgentStatusMessage(ProtocolRules.SchemaVersion, agentId, AgentLifecycle.Offline, at));

    private async Task<object?> RowAsync(string agentId) =>
        await _temporary.ScalarAsync(
            $"SELECT first_seen || '|' || last_seen || '|' || coalesce(last_version, '-') || '|' || coalesce(last_host, '-') FROM agents_seen WHERE agent_id = '{agentId}';");
}
