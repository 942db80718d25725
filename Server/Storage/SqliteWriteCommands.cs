using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Storage;

/// <summary>
/// The writer connection and its prepared statements, each with parameters created once and
/// reused for every row. Used only under the store's write lock.
/// </summary>
internal sealed class SqliteWriteCommands : IDisposable
{
    private readonly List<SqliteCommand> _all = [];

    public SqliteWriteCommands(SqliteConnection connection)
    {
        Connection = connection;

        UpsertChannel = Create(
            """
            INSERT INTO channels (channel_id) VALUES ($id)
            ON CONFLICT (channel_id) DO UPDATE SET channel_id = excluded.channel_id
            RETURNING channel_key;
            """);
        ChannelId = UpsertChannel.Parameters.Add("$id", SqliteType.Text);

        // Insert and update are separate so the writer learns which timestamps were already there:
        // a new point is folded into the rollups incrementally, a replaced one forces a recompute.
        InsertReading = Create(
            """
            INSERT INTO readings (channel_key, ts_ms, value, quality) VALUES ($key, $ts, $value, $quality)
            ON CONFLICT (channel_key, ts_ms) DO NOTHING;
            """);
        UpdateReading = Create(
            "UPDATE readings SET value = $value, quality = $quality WHERE channel_key = $key AND ts_ms = $ts;");
        (InsertKey, InsertTs, InsertValue, InsertQuality) = ReadingParameters(InsertReading);
        (UpdateKey, UpdateTs, UpdateValue, UpdateQuality) = ReadingParameters(UpdateReading);

        UpsertLatest = Create(
            """
            INSERT INTO latest (channel_key, ts_ms, value, quality) VALUES ($key, $ts, $value, $quality)
            ON CONFLICT (channel_key) DO UPDATE SET ts_ms = excluded.ts_ms, value = excluded.value, quality = excluded.quality
            WHERE excluded.ts_ms >= latest.ts_ms;
            """);
        (LatestKey, LatestTs, LatestValue, LatestQuality) = ReadingParameters(UpsertLatest);

        Tiers = RollupTier.All.Select(CreateTierCommands).ToArray();
    }

    public SqliteConnection Connection { get; }

    public SqliteCommand UpsertChannel { get; }

    public SqliteParameter ChannelId { get; }

    public SqliteCommand InsertReading { get; }

    public SqliteParameter InsertKey { get; }

    public SqliteParameter InsertTs { get; }

    public SqliteParameter InsertValue { get; }

    public SqliteParameter InsertQuality { get; }

    public SqliteCommand UpdateReading { get; }

    public SqliteParameter UpdateKey { get; }

    public SqliteParameter UpdateTs { get; }

    public SqliteParameter UpdateValue { get; }

    public SqliteParameter UpdateQuality { get; }

    public SqliteCommand UpsertLatest { get; }

    public SqliteParameter LatestKey { get; }

    public SqliteParameter LatestTs { get; }

    public SqliteParameter LatestValue { get; }

    public SqliteParameter LatestQuality { get; }

    /// <summary>Same order as <see cref="RollupTier.All"/>.</summary>
    public IReadOnlyList<TierCommands> Tiers { get; }

    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    public void Prepare()
    {
        foreach (var command in _all)
        {
            command.Prepare();
        }
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }

        Connection.Dispose();
    }

    private static (SqliteParameter Key, SqliteParameter Ts, SqliteParameter Value, SqliteParameter Quality) ReadingParameters(
        SqliteCommand command) =>
        (command.Parameters.Add("$key", SqliteType.Integer),
         command.Parameters.Add("$ts", SqliteType.Integer),
         command.Parameters.Add("$value", SqliteType.Real),
         command.Parameters.Add("$quality", SqliteType.Integer));

    private TierCommands CreateTierCommands(RollupTier tier)
    {
        var table = tier.TableName;
        var width = tier.WidthMs.ToString(CultureInfo.InvariantCulture);

        // In an UPDATE every right-hand side sees the old row, so the assignments' order is free.
        var upsert = Create(
            $"""
            INSERT INTO {table} (channel_key, bucket_ms, min_value, max_value, sum_value, value_count, last_ts, last_value)
            VALUES ($key, $bucket, $min, $max, $sum, $count, $lastTs, $lastValue)
            ON CONFLICT (channel_key, bucket_ms) DO UPDATE SET
                min_value = min(min_value, excluded.min_value),
                max_value = max(max_value, excluded.max_value),
                sum_value = sum_value + excluded.sum_value,
                value_count = value_count + excluded.value_count,
                last_value = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last_value ELSE last_value END,
                last_ts = max(last_ts, excluded.last_ts);
            """);

        var delete = Create($"DELETE FROM {table} WHERE channel_key = $key AND bucket_ms >= $from AND bucket_ms < $to;");

        // $from is a multiple of the tier width, so the offset division floors even before 1970.
        var recompute = Create(
            $"""
            INSERT INTO {table} (channel_key, bucket_ms, min_value, max_value, sum_value, value_count, last_ts, last_value)
            SELECT $key, g.bucket_ms, g.min_value, g.max_value, g.sum_value, g.value_count, g.last_ts, r.value
            FROM (
                SELECT $from + ((ts_ms - $from) / {width}) * {width} AS bucket_ms,
                       min(value) AS min_value, max(value) AS max_value, sum(value) AS sum_value,
                       count(*) AS value_count, max(ts_ms) AS last_ts
                FROM readings
                WHERE channel_key = $key AND ts_ms >= $from AND ts_ms < $to
                GROUP BY 1
            ) AS g
            JOIN readings AS r ON r.channel_key = $key AND r.ts_ms = g.last_ts;
            """);

        return new TierCommands(
            tier,
            upsert,
            upsert.Parameters.Add("$key", SqliteType.Integer),
            upsert.Parameters.Add("$bucket", SqliteType.Integer),
            upsert.Parameters.Add("$min", SqliteType.Real),
            upsert.Parameters.Add("$max", SqliteType.Real),
            upsert.Parameters.Add("$sum", SqliteType.Real),
            upsert.Parameters.Add("$count", SqliteType.Integer),
            upsert.Parameters.Add("$lastTs", SqliteType.Integer),
            upsert.Parameters.Add("$lastValue", SqliteType.Real),
            delete,
            delete.Parameters.Add("$key", SqliteType.Integer),
            delete.Parameters.Add("$from", SqliteType.Integer),
            delete.Parameters.Add("$to", SqliteType.Integer),
            recompute,
            recompute.Parameters.Add("$key", SqliteType.Integer),
            recompute.Parameters.Add("$from", SqliteType.Integer),
            recompute.Parameters.Add("$to", SqliteType.Integer));
    }

    private SqliteCommand Create(string sql)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        _all.Add(command);
        return command;
    }

    internal sealed record TierCommands(
        RollupTier Tier,
        SqliteCommand Upsert,
        SqliteParameter UpsertKey,
        SqliteParameter UpsertBucket,
        SqliteParameter UpsertMin,
        SqliteParameter UpsertMax,
        SqliteParameter UpsertSum,
        SqliteParameter UpsertCount,
        SqliteParameter UpsertLastTs,
        SqliteParameter UpsertLastValue,
        SqliteCommand Delete,
        SqliteParameter DeleteKey,
        SqliteParameter DeleteFrom,
        SqliteParameter DeleteTo,
        SqliteCommand Recompute,
        SqliteParameter RecomputeKey,
        SqliteParameter RecomputeFrom,
        SqliteParameter RecomputeTo)
    {
        public void Merge(long key, long bucketMs, BucketAggregate aggregate)
        {
            UpsertKey.Value = key;
            UpsertBucket.Value = bucketMs;
            UpsertMin.Value = aggregate.Min;
            UpsertMax.Value = aggregate.Max;
            UpsertSum.Value = aggregate.Sum;
            UpsertCount.Value = aggregate.Count;
            UpsertLastTs.Value = aggregate.LastTs;
            UpsertLastValue.Value = aggregate.LastValue;
            Upsert.ExecuteNonQuery();
        }

        /// <summary>Rebuilds this tier's buckets in [fromMs, toMs) of one channel from raw rows.</summary>
        public void RecomputeFromRaw(long key, long fromMs, long toMs)
        {
            DeleteKey.Value = key;
            DeleteFrom.Value = fromMs;
            DeleteTo.Value = toMs;
            Delete.ExecuteNonQuery();
            RecomputeKey.Value = key;
            RecomputeFrom.Value = fromMs;
            RecomputeTo.Value = toMs;
            Recompute.ExecuteNonQuery();
        }
    }
}
