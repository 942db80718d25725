using System.Collections.Concurrent;
using System.Globalization;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage;

/// <summary>
/// The embedded time-series store: one SQLite file in WAL mode. One writer connection, guarded
/// by a lock, writes readings and keeps the rollup tiers and the latest table current in the same
/// transaction; queries open their own pooled connections and never wait for a write.
/// Timestamps are kept to the millisecond; every reading counts in the statistics whatever its
/// quality (the quality is stored and returned by <see cref="LatestAsync"/>).
/// </summary>
public sealed class SqliteTimeSeriesStore : ITimeSeriesStore, IAsyncDisposable, IDisposable
{
    public const string FileName = "timeseries.db";

    private const int BusyTimeoutMs = 5_000;
    private const int RetentionRowsPerStatement = 50_000;

    private readonly StorageOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, long> _channelKeys = new(StringComparer.Ordinal);
    private SqliteWriteCommands? _writer;
    private volatile bool _initialized;
    private bool _disposed;

    public SqliteTimeSeriesStore(IOptions<StorageOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        DatabasePath = Path.Combine(Path.GetFullPath(_options.DataDirectory), FileName);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
            Pooling = true,
        };
        _readConnectionString = builder.ToString();
        builder.Pooling = false;
        _writeConnectionString = builder.ToString();
    }

    /// <summary>Full path of <c>timeseries.db</c>.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Creates the folder and the file and brings the schema to the current version. Safe to call
    /// more than once; every other member calls it on first use.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            EnsureInitialized();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return;
        }

        foreach (var reading in readings)
        {
            if (string.IsNullOrEmpty(reading.Channel))
            {
                throw new ArgumentException("Every reading needs a channel id.", nameof(readings));
            }

            if (!double.IsFinite(reading.Value))
            {
                throw new ArgumentException(
                    $"Reading of '{reading.Channel}' at {reading.Timestamp:O} is not a finite number.", nameof(readings));
            }
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var writer = EnsureInitialized();
            var chunkSize = Math.Max(1, _options.MaxBatchSize);
            for (var offset = 0; offset < readings.Count; offset += chunkSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteChunk(writer, readings, offset, Math.Min(chunkSize, readings.Count - offset));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task<HistoryResult> QueryAsync(
        string channel,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxBuckets,
        CancellationToken cancellationToken) =>
        QueryAsync(channel, from, to, maxBuckets, useRollups: true, cancellationToken);

    /// <summary>As the public query; <paramref name="useRollups"/> false reads raw rows only (to compare).</summary>
    internal async Task<HistoryResult> QueryAsync(
        string channel,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxBuckets,
        bool useRollups,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(channel))
        {
            throw new ArgumentException("A channel id is required.", nameof(channel));
        }

        if (from >= to)
        {
            throw new ArgumentException($"'from' ({from:O}) must be earlier than 'to' ({to:O}).", nameof(from));
        }

        if (maxBuckets is < 1 or > BucketPlan.MaxBucketsLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxBuckets), maxBuckets, $"The number of buckets must be between 1 and {BucketPlan.MaxBucketsLimit}.");
        }

        await InitializeAsync(cancellationToken);

        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = Math.Max(to.ToUnixTimeMilliseconds(), fromMs + 1);
        var plan = BucketPlan.Create(fromMs, toMs, maxBuckets, MinimumSourceWidthMs(fromMs));
        if (!useRollups)
        {
            plan = plan with { Tier = null };
        }

        var buckets = new HistoryBucket[plan.BucketCount];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new HistoryBucket(
                DateTimeOffset.FromUnixTimeMilliseconds(plan.StartMs + (i * plan.WidthMs)), null, null, null, null, 0);
        }

        if (_channelKeys.TryGetValue(channel, out var key))
        {
            await using var connection = await OpenReadConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = plan.Tier is null ? RawBucketSql : TierBucketSql(plan.Tier);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$start", plan.StartMs);
            command.Parameters.AddWithValue("$end", plan.EndMs);
            command.Parameters.AddWithValue("$width", plan.WidthMs);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var index = reader.GetInt64(0);
                var count = reader.GetInt64(4);
                buckets[index] = buckets[index] with
                {
                    Min = reader.GetDouble(1),
                    Max = reader.GetDouble(2),
                    Mean = reader.GetDouble(3) / count,
                    Last = reader.GetDouble(5),
                    Count = count,
                };
            }
        }

        return new HistoryResult(TimeSpan.FromMilliseconds(plan.WidthMs), buckets);
    }

    public async Task<IReadOnlyList<Reading>> LatestAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT c.channel_id, l.ts_ms, l.value, l.quality
            FROM latest AS l JOIN channels AS c ON c.channel_key = l.channel_key
            ORDER BY c.channel_id;
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var latest = new List<Reading>();
        while (await reader.ReadAsync(cancellationToken))
        {
            latest.Add(new Reading(
                reader.GetString(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetDouble(2),
                (Quality)reader.GetInt32(3)));
        }

        return latest;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenReadConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1;";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes raw rows and rollup buckets older than their retention before <paramref name="now"/>.
    /// Cut-offs fall on whole hours so that no coarse bucket ever loses part of its raw rows.
    /// Deletes in slices, taking the write lock per slice, so writes go on in between.
    /// </summary>
    public async Task<RetentionReport> ApplyRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        var nowMs = now.ToUnixTimeMilliseconds();
        var keys = _channelKeys.Values.ToArray();

        long rawDeleted = 0;
        foreach (var key in keys)
        {
            rawDeleted += await DeleteOlderThanAsync("readings", "ts_ms", key, Cutoff(nowMs, _options.RawRetention), cancellationToken);
        }

        long rollupDeleted = 0;
        foreach (var tier in RollupTier.All)
        {
            var cutoff = Cutoff(nowMs, tier.Retention(_options));
            foreach (var key in keys)
            {
                rollupDeleted += await DeleteOlderThanAsync(tier.TableName, "bucket_ms", key, cutoff, cancellationToken);
            }
        }

        return new RetentionReport(rawDeleted, rollupDeleted);
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            CloseConnections();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>For containers disposed synchronously; waits for a running write to finish.</summary>
    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            CloseConnections();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static string RawBucketSql =>
        """
        SELECT g.bucket, g.min_value, g.max_value, g.sum_value, g.value_count, r.value
        FROM (
            SELECT (ts_ms - $start) / $width AS bucket, min(value) AS min_value, max(value) AS max_value,
                   sum(value) AS sum_value, count(*) AS value_count, max(ts_ms) AS last_ts
            FROM readings
            WHERE channel_key = $key AND ts_ms >= $start AND ts_ms < $end
            GROUP BY 1
        ) AS g
        JOIN readings AS r ON r.channel_key = $key AND r.ts_ms = g.last_ts
        ORDER BY g.bucket;
        """;

    private static string TierBucketSql(RollupTier tier)
    {
        var width = tier.WidthMs.ToString(CultureInfo.InvariantCulture);
        return $"""
            SELECT g.bucket, g.min_value, g.max_value, g.sum_value, g.value_count, r.last_value
            FROM (
                SELECT (bucket_ms - $start) / $width AS bucket, min(min_value) AS min_value, max(max_value) AS max_value,
                       sum(sum_value) AS sum_value, sum(value_count) AS value_count, max(last_ts) AS last_ts
                FROM {tier.TableName}
                WHERE channel_key = $key AND bucket_ms >= $start AND bucket_ms < $end
                GROUP BY 1
            ) AS g
            JOIN {tier.TableName} AS r
                ON r.channel_key = $key AND r.bucket_ms = g.last_ts - (((g.last_ts % {width}) + {width}) % {width})
            ORDER BY g.bucket;
            """;
    }

    private static long Cutoff(long nowMs, TimeSpan retention) =>
        BucketPlan.FloorTo(nowMs - (long)retention.TotalMilliseconds, RollupTier.Coarsest.WidthMs);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The finest width a source still holding <paramref name="fromMs"/> can serve: 1 while raw
    /// rows are kept, else the width of the finest tier kept that long. Bucket widths are chosen
    /// as multiples of it, so a range past raw retention is not answered with empty buckets.
    /// </summary>
    private long MinimumSourceWidthMs(long fromMs)
    {
        var nowMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (fromMs >= Cutoff(nowMs, _options.RawRetention))
        {
            return 1;
        }

        foreach (var tier in RollupTier.All)
        {
            if (fromMs >= Cutoff(nowMs, tier.Retention(_options)))
            {
                return tier.WidthMs;
            }
        }

        return RollupTier.Coarsest.WidthMs;
    }

    private void CloseConnections()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using (var pooled = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        if (_writer is not null)
        {
            Execute(_writer.Connection, "PRAGMA optimize;");
            _writer.Dispose();
            _writer = null;
        }
    }

    private SqliteWriteCommands EnsureInitialized()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is not null)
        {
            return _writer;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var connection = new SqliteConnection(_writeConnectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = NORMAL;");
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs.ToString(CultureInfo.InvariantCulture)};");
            SqliteSchema.Migrate(connection);
            LoadChannelKeys(connection);
            var writer = new SqliteWriteCommands(connection);
            writer.Prepare();
            _writer = writer;
            _initialized = true;
            return writer;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void LoadChannelKeys(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT channel_id, channel_key FROM channels;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _channelKeys[reader.GetString(0)] = reader.GetInt64(1);
        }
    }

    private async Task<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void WriteChunk(SqliteWriteCommands writer, IReadOnlyList<Reading> readings, int offset, int count)
    {
        var fineWidth = RollupTier.All[0].WidthMs;
        var coarseWidth = RollupTier.Coarsest.WidthMs;
        var newKeys = new Dictionary<string, long>(StringComparer.Ordinal);
        var fineBuckets = new Dictionary<(long Key, long BucketMs), BucketAggregate>();
        var replacedHours = new HashSet<(long Key, long HourMs)>();
        var latest = new Dictionary<long, Reading>();

        using var transaction = writer.Connection.BeginTransaction();
        writer.Enlist(transaction);
        for (var i = offset; i < offset + count; i++)
        {
            var reading = readings[i];
            var key = KeyOf(writer, reading.Channel, newKeys);
            var ts = reading.Timestamp.ToUnixTimeMilliseconds();
            writer.InsertKey.Value = key;
            writer.InsertTs.Value = ts;
            writer.InsertValue.Value = reading.Value;
            writer.InsertQuality.Value = (int)reading.Quality;
            if (writer.InsertReading.ExecuteNonQuery() == 1)
            {
                var bucket = (key, BucketPlan.FloorTo(ts, fineWidth));
                if (!fineBuckets.TryGetValue(bucket, out var aggregate))
                {
                    aggregate = new BucketAggregate();
                    fineBuckets[bucket] = aggregate;
                }

                aggregate.Add(ts, reading.Value);
            }
            else
            {
                writer.UpdateKey.Value = key;
                writer.UpdateTs.Value = ts;
                writer.UpdateValue.Value = reading.Value;
                writer.UpdateQuality.Value = (int)reading.Quality;
                writer.UpdateReading.ExecuteNonQuery();
                replacedHours.Add((key, BucketPlan.FloorTo(ts, coarseWidth)));
            }

            if (!latest.TryGetValue(key, out var newest) || ts >= newest.Timestamp.ToUnixTimeMilliseconds())
            {
                latest[key] = reading;
            }
        }

        MergeIntoTiers(writer, fineBuckets);

        // A replaced value cannot be taken out of a min or max: rebuild its hour from raw rows.
        foreach (var (key, hourMs) in replacedHours)
        {
            foreach (var tier in writer.Tiers)
            {
                tier.RecomputeFromRaw(key, hourMs, hourMs + coarseWidth);
            }
        }

        foreach (var (key, reading) in latest)
        {
            writer.LatestKey.Value = key;
            writer.LatestTs.Value = reading.Timestamp.ToUnixTimeMilliseconds();
            writer.LatestValue.Value = reading.Value;
            writer.LatestQuality.Value = (int)reading.Quality;
            writer.UpsertLatest.ExecuteNonQuery();
        }

        transaction.Commit();
        foreach (var (channel, key) in newKeys)
        {
            _channelKeys[channel] = key;
        }
    }

    private static void MergeIntoTiers(
        SqliteWriteCommands writer, Dictionary<(long Key, long BucketMs), BucketAggregate> fineBuckets)
    {
        foreach (var tier in writer.Tiers)
        {
            var width = tier.Tier.WidthMs;
            var buckets = new Dictionary<(long Key, long BucketMs), BucketAggregate>();
            foreach (var ((key, fineMs), fine) in fineBuckets)
            {
                var bucket = (key, BucketPlan.FloorTo(fineMs, width));
                if (!buckets.TryGetValue(bucket, out var aggregate))
                {
                    aggregate = new BucketAggregate();
                    buckets[bucket] = aggregate;
                }

                aggregate.Add(fine);
            }

            foreach (var ((key, bucketMs), aggregate) in buckets)
            {
                tier.Merge(key, bucketMs, aggregate);
            }
        }
    }

    private long KeyOf(SqliteWriteCommands writer, string channel, Dictionary<string, long> newKeys)
    {
        if (_channelKeys.TryGetValue(channel, out var key) || newKeys.TryGetValue(channel, out key))
        {
            return key;
        }

        writer.ChannelId.Value = channel;
        key = Convert.ToInt64(writer.UpsertChannel.ExecuteScalar(), CultureInfo.InvariantCulture);
        newKeys[channel] = key;
        return key;
    }

    private async Task<long> DeleteOlderThanAsync(
        string table, string timeColumn, long key, long cutoffMs, CancellationToken cancellationToken)
    {
        var sql = $"""
            DELETE FROM {table}
            WHERE channel_key = $key AND {timeColumn} < $cutoff AND {timeColumn} <= coalesce(
                (SELECT {timeColumn} FROM {table} WHERE channel_key = $key AND {timeColumn} < $cutoff
                 ORDER BY {timeColumn} LIMIT 1 OFFSET {RetentionRowsPerStatement - 1}),
                $cutoff);
            """;
        long deleted = 0;
        while (true)
        {
            int slice;
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                var writer = EnsureInitialized();
                using var command = writer.Connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$cutoff", cutoffMs);
                slice = command.ExecuteNonQuery();
            }
            finally
            {
                _writeLock.Release();
            }

            deleted += slice;
            if (slice < RetentionRowsPerStatement)
            {
                return deleted;
            }
        }
    }
}

/// <summary>What one retention pass removed.</summary>
public sealed record RetentionReport(long RawRowsDeleted, long RollupRowsDeleted);
