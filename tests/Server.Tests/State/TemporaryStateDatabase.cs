using Clovers.Monitor.Server.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Server.Tests.State;

/// <summary>A folder for <c>state.db</c> that is deleted with it; opens the file with any migration list.</summary>
internal sealed class TemporaryStateDatabase : IDisposable
{
    private readonly List<StateDatabase> _opened = [];

    public TemporaryStateDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "clovers-state-tests-" + Guid.NewGuid().ToString("N"));
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, StateDatabase.FileName);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The file as a server whose code holds <paramref name="migrations"/> (all of them by default) would open it.</summary>
    public StateDatabase Open(IReadOnlyList<Migration>? migrations = null)
    {
        var database = new StateDatabase(DatabasePath, migrations ?? Migrations.All, Time, NullLogger<StateDatabase>.Instance);
        _opened.Add(database);
        return database;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> TableExistsAsync(string table) =>
        Convert.ToInt64(await ScalarAsync($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';"), System.Globalization.CultureInfo.InvariantCulture) == 1;

    public void Dispose()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
