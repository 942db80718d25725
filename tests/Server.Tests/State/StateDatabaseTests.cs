using System.Globalization;
using Clovers.Monitor.Server.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Tests.State;

public sealed class StateDatabaseTests : IDisposable
{
    private readonly TemporaryStateDatabase _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public void Migrations_All_RunOneTwoThreeWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, Migrations.All.Count), Migrations.All.Select(m => m.Version));
    }

    [Fact]
    public void Constructor_MigrationVersionsWithAGap_Throws()
    {
        IReadOnlyList<Migration> migrations = [new(1, "one", "SELECT 1;"), new(3, "three", "SELECT 1;")];

        Assert.Throws<ArgumentException>(() => _temporary.Open(migrations));
    }

    [Fact]
    public async Task MigrateAsync_NewFile_AppliesEveryMigrationAndRecordsEach()
    {
        var database = _temporary.Open();

        var applied = await database.MigrateAsync();

        Assert.Equal(Migrations.All.Count, applied);
        Assert.Equal(Migrations.LatestVersion, database.CurrentVersion);
        Assert.Equal(Migrations.LatestVersion, await database.ReadVersionAsync());
        Assert.Equal((long)Migrations.All.Count, await _temporary.ScalarAsync("SELECT count(*) FROM schema_migrations;"));
        Assert.Equal(Migrations.All[^1].Name, await _temporary.ScalarAsync($"SELECT name FROM schema_migrations WHERE version = {Migrations.LatestVersion};"));
    }

    [Fact]
    public async Task MigrateAsync_NewFile_UsesWalJournal()
    {
        await _temporary.Open().MigrateAsync();

        Assert.Equal("wal", await _temporary.ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task OpenConnectionAsync_Always_EnforcesForeignKeys()
    {
        var database = _temporary.Open();
        await database.MigrateAsync();

        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys;";

        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task MigrateAsync_FileWithOnlyTheFirstMigration_UpgradesAndKeepsItsRows()
    {
        await _temporary.Open([Migrations.All[0]]).MigrateAsync();
        await _temporary.ExecuteAsync(
            "INSERT INTO server_events (at, kind, detail) VALUES ('2026-03-01T00:00:00.000Z', 'started', 'old server'), ('2026-03-01T01:00:00.000Z', 'stopped', NULL);");
        var database = _temporary.Open();

        var applied = await database.MigrateAsync();

        Assert.Equal(Migrations.All.Count - 1, applied);
        Assert.Equal(Migrations.LatestVersion, await database.ReadVersionAsync());
        Assert.Equal(2L, await _temporary.ScalarAsync("SELECT count(*) FROM server_events;"));
        Assert.Equal("old server", await _temporary.ScalarAsync("SELECT detail FROM server_events WHERE kind = 'started';"));
        Assert.True(await _temporary.TableExistsAsync("agents_seen"));
    }

    [Fact]
    public async Task MigrateAsync_FileAtVersionNine_AddsSpeGainReferencesAndKeepsTheSpectra()
    {
        await _temporary.Open([.. Migrations.All.Take(9)]).MigrateAsync();
        await _temporary.ExecuteAsync(
            "INSERT INTO spectra_runs VALUES ('daq-1', 3, '2026-03-01T00:00:00.000Z', '2026-03-01T01:00:00.000Z', 10, 250, 9.9, 2.18e14, 0);");
        var database = _temporary.Open();

        var applied = await database.MigrateAsync();
        await _temporary.ExecuteAsync(
            "INSERT INTO spe_gain_references VALUES ('daq-1', 'sd1a', 1.6, '2026-03-01T01:00:00.000Z', 3, 'auto: first stable fit');");

        Assert.Equal(Migrations.All.Count - 9, applied);
        Assert.Equal(3L, await _temporary.ScalarAsync("SELECT run FROM spectra_runs WHERE daq_id = 'daq-1';"));
        Assert.Equal(1.6, await _temporary.ScalarAsync("SELECT gain_pc FROM spe_gain_references WHERE daq_id = 'daq-1' AND pmt = 'sd1a';"));
    }

    [Fact]
    public async Task MigrateAsync_SecondTime_AppliesNothingAndKeepsTheRecords()
    {
        await _temporary.Open().MigrateAsync();
        var firstAppliedAt = await _temporary.ScalarAsync("SELECT group_concat(applied_at) FROM schema_migrations;");
        _temporary.Time.Advance(TimeSpan.FromHours(1));

        var applied = await _temporary.Open().MigrateAsync();

        Assert.Equal(0, applied);
        Assert.Equal((long)Migrations.All.Count, await _temporary.ScalarAsync("SELECT count(*) FROM schema_migrations;"));
        Assert.Equal(firstAppliedAt, await _temporary.ScalarAsync("SELECT group_concat(applied_at) FROM schema_migrations;"));
    }

    [Fact]
    public async Task MigrateAsync_FileNewerThanTheCode_RefusesAndNamesBothVersions()
    {
        var newer = Migrations.LatestVersion + 1;
        await _temporary.Open([.. Migrations.All, new(newer, "from the future", "CREATE TABLE future_things (id INTEGER PRIMARY KEY);")]).MigrateAsync();
        var database = _temporary.Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync());

        Assert.Contains(newer.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains($"newer than the {Migrations.LatestVersion.ToString(CultureInfo.InvariantCulture)}", error.Message, StringComparison.Ordinal);
        Assert.Equal(newer, await database.ReadVersionAsync());
    }

    [Fact]
    public async Task MigrateAsync_FailingMigration_RollsItBackAndStaysAtThePreviousVersion()
    {
        var broken = new Migration(
            Migrations.LatestVersion + 1,
            "half done",
            "CREATE TABLE half_done (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);");
        await _temporary.Open().MigrateAsync();
        var database = _temporary.Open([.. Migrations.All, broken]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync());

        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Contains("half done", error.Message, StringComparison.Ordinal);
        Assert.False(await _temporary.TableExistsAsync("half_done"));
        Assert.Equal(Migrations.LatestVersion, await database.ReadVersionAsync());
    }

    [Fact]
    public async Task MigrateAsync_FirstMigrationFails_LeavesNoBookkeeping()
    {
        IReadOnlyList<Migration> migrations = [new(1, "broken from the start", "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT); SELECT * FROM nowhere;")];
        var database = _temporary.Open(migrations);

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync());

        Assert.False(await _temporary.TableExistsAsync("schema_migrations"));
        Assert.Equal(0, await database.ReadVersionAsync());
    }

    [Fact]
    public async Task MigrateAsync_TwoServersAtOnce_ApplyEachMigrationOnce()
    {
        using var other = new StateDatabase(_temporary.DatabasePath, Migrations.All, TimeProvider.System, NullLogger<StateDatabase>.Instance);
        var first = _temporary.Open();

        var applied = await Task.WhenAll(Task.Run(() => first.MigrateAsync()), Task.Run(() => other.MigrateAsync()));

        Assert.Equal(Migrations.All.Count, applied.Sum());
        Assert.Equal((long)Migrations.All.Count, await _temporary.ScalarAsync("SELECT count(*) FROM schema_migrations;"));
    }
}
