using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// A durable <see cref="IReadingOutbox"/>: one SQLite file per agent (WAL, <c>synchronous=FULL</c>,
/// so every added batch is fsynced before <see cref="AddAsync"/> returns). Batches survive a broker
/// outage and a crash of the agent; the highest sequence number ever added survives too, so a
/// restarted agent keeps numbering upwards. The budget counts the stored (Brotli-compressed)
/// payload bytes; past it the oldest batches go first and are counted in <see cref="Dropped"/>,
/// which is itself persisted.
/// </summary>
public sealed class SqliteOutbox : IReadingOutbox, IDisposable
{
    private const string LastSeqKey = "last_seq";
    private const string DroppedKey = "dropped";

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly long _maxBytes;
    private TaskCompletionSource? _available;
    private ReadingBatch? _head;
    private int _count;
    private long _bytes;
    private long _dropped;
    private long _lastSequence;
    private long _corrupt;

    private SqliteOutbox(SqliteConnection connection, string path, long maxBytes)
    {
        _connection = connection;
        Path = path;
        _maxBytes = maxBytes;
    }

    /// <summary>Full path of the outbox file.</summary>
    public string Path { get; }

    /// <summary>Most payload bytes kept; past it the oldest batches are dropped.</summary>
    public long MaxBytes => _maxBytes;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Payload bytes held now (compressed batches, without SQLite's own overhead).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long LastSequence => Interlocked.Read(ref _lastSequence);

    /// <summary>Rows found unreadable (damaged file) and discarded; also counted in <see cref="Dropped"/>.</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    /// <summary>Opens (or creates) the outbox file; its folder is created when missing.</summary>
    public static SqliteOutbox Open(string path, long maxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        var outbox = new SqliteOutbox(connection, fullPath, maxBytes);
        try
        {
            connection.Open();
            outbox.Initialise();
            return outbox;
        }
        catch
        {
            outbox.Dispose();
            throw;
        }
    }

    public ValueTask AddAsync(ReadingBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ct.ThrowIfCancellationRequested();
        var payload = Encode(batch);
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            Execute(transaction, "INSERT OR REPLACE INTO batches (seq, bytes, payload) VALUES ($seq, $bytes, $payload);",
                ("$seq", batch.Seq), ("$bytes", payload.Length), ("$payload", payload));
            var lastSequence = Math.Max(_lastSequence, batch.Seq);
            SetMeta(transaction, LastSeqKey, lastSequence);
            var count = _count + 1;
            var bytes = _bytes + payload.Length;
            var dropped = 0;

            // The newest batch always stays: it is the freshest picture of the platform.
            while (bytes > _maxBytes && count > 1)
            {
                var (seq, size) = Oldest(transaction);
                Execute(transaction, "DELETE FROM batches WHERE seq = $seq;", ("$seq", seq));
                bytes -= size;
                count--;
                dropped++;
            }

            if (dropped > 0)
            {
                SetMeta(transaction, DroppedKey, _dropped + dropped);
            }

            transaction.Commit();
            _count = count;
            _bytes = bytes;
            _lastSequence = lastSequence;
            Interlocked.Add(ref _dropped, dropped);
            if (dropped > 0)
            {
                _head = null;
            }

            waiting = _available;
            _available = null;
        }

        waiting?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public bool TryPeek([MaybeNullWhen(false)] out ReadingBatch batch)
    {
        lock (_gate)
        {
            while (_head is null && _count > 0)
            {
                _head = ReadOldest();
            }

            batch = _head;
            return batch is not null;
        }
    }

    public ValueTask WaitForBatchAsync(CancellationToken ct)
    {
        Task waiting;
        lock (_gate)
        {
            if (_count > 0)
            {
                return ValueTask.CompletedTask;
            }

            _available ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _available.Task;
        }

        return new ValueTask(waiting.WaitAsync(ct));
    }

    public ValueTask RemoveAsync(long seq, CancellationToken ct)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM batches WHERE seq = $seq RETURNING bytes;";
            command.Parameters.AddWithValue("$seq", seq);
            if (command.ExecuteScalar() is long size)
            {
                _count--;
                _bytes -= size;
            }

            if (_head?.Seq == seq)
            {
                _head = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void Initialise()
    {
        Execute(null, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS batches (seq INTEGER PRIMARY KEY, bytes INTEGER NOT NULL, payload BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT count(*), coalesce(sum(bytes), 0), coalesce(max(seq), 0),
                   coalesce((SELECT value FROM meta WHERE key = 'last_seq'), 0),
                   coalesce((SELECT value FROM meta WHERE key = 'dropped'), 0)
            FROM batches;
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        _count = reader.GetInt32(0);
        _bytes = reader.GetInt64(1);
        _lastSequence = Math.Max(reader.GetInt64(2), reader.GetInt64(3));
        _dropped = reader.GetInt64(4);
    }

    /// <summary>Reads the oldest row; a row that cannot be decoded is deleted and counted, so one bad row never blocks the rest.</summary>
    private ReadingBatch? ReadOldest()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, bytes, payload FROM batches ORDER BY seq LIMIT 1;";
        long seq;
        long size;
        byte[] payload;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                _count = 0;
                _bytes = 0;
                return null;
            }

            seq = reader.GetInt64(0);
            size = reader.GetInt64(1);
            payload = (byte[])reader.GetValue(2);
        }

        try
        {
            return Decode(payload);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException)
        {
            Execute(null, "DELETE FROM batches WHERE seq = $seq;", ("$seq", seq));
            _count--;
            _bytes -= size;
            Interlocked.Increment(ref _corrupt);
            Interlocked.Increment(ref _dropped);
            return null;
        }
    }

    private (long Seq, long Bytes) Oldest(SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, bytes FROM batches ORDER BY seq LIMIT 1;";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private void SetMeta(SqliteTransaction transaction, string key, long value) =>
        Execute(transaction, "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
            ("$key", key), ("$value", value));

    private void Execute(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    /// <summary>JSON, Brotli-compressed: a batch of the CLOVERS platform shrinks about tenfold.</summary>
    internal static byte[] Encode(ReadingBatch batch)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(batch, ProtocolJsonContext.Default.ReadingBatch);
        using var output = new MemoryStream(json.Length / 4);
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(json);
        }

        return output.ToArray();
    }

    internal static ReadingBatch Decode(byte[] payload)
    {
        using var input = new BrotliStream(new MemoryStream(payload), CompressionMode.Decompress);
        return JsonSerializer.Deserialize(input, ProtocolJsonContext.Default.ReadingBatch)
            ?? throw new InvalidDataException("The outbox row holds JSON null.");
    }
}
