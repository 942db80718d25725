using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Storage;

/// <summary>
/// The versioned schema of <c>timeseries.db</c>. <c>PRAGMA user_version</c> records the version
/// applied, so opening an existing file runs only the steps it lacks, and opening it again runs none.
/// </summary>
internal static class SqliteSchema
{
    public const int CurrentVersion = 1;

    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The time-series database has schema version {version}, newer than the {CurrentVersion} this server understands.");
        }

        if (version == CurrentVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (version < 1)
        {
            command.CommandText = VersionOne();
            command.ExecuteNonQuery();
        }

        command.CommandText = $"PRAGMA user_version = {CurrentVersion.ToString(CultureInfo.InvariantCulture)};";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static string VersionOne()
    {
        var sql = new StringBuilder(
            """
            CREATE TABLE IF NOT EXISTS channels (
                channel_key INTEGER PRIMARY KEY,
                channel_id TEXT NOT NULL UNIQUE
            );
            CREATE TABLE IF NOT EXISTS readings (
                channel_key INTEGER NOT NULL,
                ts_ms INTEGER NOT NULL,
                value REAL NOT NULL,
                quality INTEGER NOT NULL,
                PRIMARY KEY (channel_key, ts_ms)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS latest (
                channel_key INTEGER PRIMARY KEY,
                ts_ms INTEGER NOT NULL,
                value REAL NOT NULL,
                quality INTEGER NOT NULL
            );

            """);
        foreach (var tier in RollupTier.All)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                CREATE TABLE IF NOT EXISTS {tier.TableName} (
                    channel_key INTEGER NOT NULL,
                    bucket_ms INTEGER NOT NULL,
                    min_value REAL NOT NULL,
                    max_value REAL NOT NULL,
                    sum_value REAL NOT NULL,
                    value_count INTEGER NOT NULL,
                    last_ts INTEGER NOT NULL,
                    last_value REAL NOT NULL,
                    PRIMARY KEY (channel_key, bucket_ms)
                ) WITHOUT ROWID;

                """);
        }

        return sql.ToString();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
