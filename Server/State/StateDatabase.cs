using System.Globalization;
using Clovers.Monitor.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.State;

/// <summary>
/// The Server's relational state: one SQLite file, <c>state.db</c>, next to the time-series file
/// (users, alarm rules and history, audit log, logbook… as features arrive). WAL journal, foreign
/// keys enforced on every connection. Its schema moves forward through <see cref="Migrations"/>.
/// </summary>
public sealed class StateDatabase : IDisposable
{
    public const string FileName = "state.db";

    private const int BusyTimeoutMs = 5_000;

    private readonly IReadOnlyList<Migration> _migrations;
    private readonly TimeProvider _time;
    private readonly ILogger<StateDatabase> _logger;
    private readonly string _connectionString;
    private int _currentVersion;

    public StateDatabase(IOptions<StorageOptions> options, TimeProvider time, ILogger<StateDatabase> logger)
        : this(Path.Combine(Path.GetFullPath(options.Value.DataDirectory), FileName), Migrations.All, time, logger)
    {
    }

    /// <summary>A database at <paramref name="databasePath"/> migrated with <paramref name="migrations"/> (tests give a prefix or an extension).</summary>
    internal StateDatabase(string databasePath, IReadOnlyList<Migration> migrations, TimeProvider time, ILogger<StateDatabase> logger)
    {
        CheckOrder(migrations);
        DatabasePath = databasePath;
        _migrations = migrations;
        _time = time;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    /// <summary>Full path of <c>state.db</c>.</summary>
    public string DatabasePath { get; }

    /// <summary>The version the code brings a database to: that of its last migration.</summary>
    public int LatestVersion => _migrations.Count == 0 ? 0 : _migrations[^1].Version;

    /// <summary>The schema version of the file as of the last <see cref="MigrateAsync"/>; 0 before it ran.</summary>
    public int CurrentVersion => Volatile.Read(ref _currentVersion);

    /// <summary>An open connection with foreign keys on; the caller disposes it.</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutMs.ToString(CultureInfo.InvariantCulture)};", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates the file if needed and applies, in order, each migration it lacks, each in its own
    /// transaction. Returns how many were applied. Throws, leaving the file at the last version
    /// that fully applied, when a migration fails or the file is newer than this code.
    /// </summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);

        var version = await ReadVersionAsync(connection, null, cancellationToken);
        Volatile.Write(ref _currentVersion, version);
        if (version > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The state database {DatabasePath} has schema version {version}, newer than the {LatestVersion} this server knows. " +
                "Run a server at least as new as the one that wrote it, or restore a backup of the file.");
        }

        var applied = 0;
        foreach (var migration in _migrations.Where(m => m.Version > version))
        {
            if (await ApplyAsync(connection, migration, cancellationToken))
            {
                applied++;
            }

            Volatile.Write(ref _currentVersion, migration.Version);
        }

        return applied;
    }

    /// <summary>The version recorded in the file now (0 for a file without bookkeeping).</summary>
    public async Task<int> ReadVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, cancellationToken);
    }

    /// <summary>Releases the pooled connections, so the file is closed once callers closed theirs.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static void CheckOrder(IReadOnlyList<Migration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException(
                    $"Migration '{migrations[i].Name}' has version {migrations[i].Version} at position {i + 1}: versions must run 1, 2, 3… with no gap.",
                    nameof(migrations));
            }
        }
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Applies one migration; false when another process applied it first.</summary>
    private async Task<bool> ApplyAsync(SqliteConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: a second server on the same folder waits here, then sees the migration done.
        await using var transaction = connection.BeginTransaction();
        if (await ReadVersionAsync(connection, transaction, cancellationToken) >= migration.Version)
        {
            return false;
        }

        try
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at);";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$name", migration.Name);
            record.Parameters.AddWithValue("$at", StateTimestamps.ToText(_time.GetUtcNow()));
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (SqliteException exception)
        {
            // Leaving the scope disposes the transaction uncommitted, which rolls it back.
            throw new InvalidOperationException(
                $"Migration {migration.Version} '{migration.Name}' of the state database {DatabasePath} failed and was rolled back; " +
                $"the file stays at version {migration.Version - 1}.",
                exception);
        }

        _logger.LogInformation("State database migrated to version {Version} ({Name})", migration.Version, migration.Name);
        return true;
    }
}
