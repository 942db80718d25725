using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>Totals of one run of one DAQ as of its latest accepted histogram set.</summary>
public sealed record RunTotals(
    string DaqId,
    long Run,
    DateTimeOffset RunStartedAt,
    DateTimeOffset LastSentAt,
    long Seq,
    long Triggers,
    double LivetimeSeconds,
    double ProtonsOnTarget,
    bool Simulated)
{
    public static RunTotals From(HistogramSet set) =>
        new(set.DaqId, set.Run, set.RunStartedAt, set.SentAt, set.Seq, set.Triggers, set.LivetimeSeconds, set.ProtonsOnTarget, set.Simulated);
}

/// <summary>One stored snapshot of a histogram's counts.</summary>
public sealed record SnapshotRow(DateTimeOffset At, long Seq, long Triggers, double LivetimeSeconds, double ProtonsOnTarget, long[] Counts);

/// <summary>
/// The spectra tables of state.db (migration 5): per run the totals and the latest cumulative
/// histogram of each key, periodic snapshots of the counts, and named references.
/// </summary>
public sealed class SpectraRepository(StateDatabase database)
{
    /// <summary>Upserts the run's totals and its latest histograms, in one transaction.</summary>
    public async Task WriteLatestAsync(RunTotals totals, IEnumerable<Histogram> histograms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(histograms);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await UpsertRunAsync(connection, transaction, totals, cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO spectra_latest (daq_id, run, key, kind, sub_detector, window, pmt, unit, edges, counts)
            VALUES ($daq, $run, $key, $kind, $sd, $window, $pmt, $unit, $edges, $counts)
            ON CONFLICT (daq_id, run, key) DO UPDATE SET edges = excluded.edges, counts = excluded.counts;
            """;
        var daq = command.Parameters.AddWithValue("$daq", totals.DaqId);
        var run = command.Parameters.AddWithValue("$run", totals.Run);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var sd = command.Parameters.Add("$sd", SqliteType.Integer);
        var window = command.Parameters.Add("$window", SqliteType.Text);
        var pmt = command.Parameters.Add("$pmt", SqliteType.Text);
        var unit = command.Parameters.Add("$unit", SqliteType.Text);
        var edges = command.Parameters.Add("$edges", SqliteType.Blob);
        var counts = command.Parameters.Add("$counts", SqliteType.Blob);
        foreach (var histogram in histograms)
        {
            key.Value = histogram.Key;
            kind.Value = histogram.Kind.ToString();
            sd.Value = (object?)histogram.SubDetector ?? DBNull.Value;
            window.Value = histogram.Window?.ToString() ?? (object)DBNull.Value;
            pmt.Value = (object?)histogram.Pmt ?? DBNull.Value;
            unit.Value = histogram.Unit;
            edges.Value = CountsCodec.EncodeEdges(histogram.Edges);
            counts.Value = CountsCodec.EncodeCounts(histogram.Counts);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records the counts of every histogram at <paramref name="at"/>.</summary>
    public async Task WriteSnapshotAsync(RunTotals totals, IEnumerable<Histogram> histograms, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(histograms);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR REPLACE INTO spectra_snapshots (daq_id, run, key, at, seq, triggers, livetime_s, pot, counts)
            VALUES ($daq, $run, $key, $at, $seq, $triggers, $livetime, $pot, $counts);
            """;
        command.Parameters.AddWithValue("$daq", totals.DaqId);
        command.Parameters.AddWithValue("$run", totals.Run);
        command.Parameters.AddWithValue("$at", StateTimestamps.ToText(at));
        command.Parameters.AddWithValue("$seq", totals.Seq);
        command.Parameters.AddWithValue("$triggers", totals.Triggers);
        command.Parameters.AddWithValue("$livetime", totals.LivetimeSeconds);
        command.Parameters.AddWithValue("$pot", totals.ProtonsOnTarget);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var counts = command.Parameters.Add("$counts", SqliteType.Blob);
        foreach (var histogram in histograms)
        {
            key.Value = histogram.Key;
            counts.Value = CountsCodec.EncodeCounts(histogram.Counts);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The newest run of every DAQ with all its latest histograms (to warm the store at start).</summary>
    public async Task<IReadOnlyList<(RunTotals Totals, IReadOnlyList<Histogram> Histograms)>> LoadNewestRunsAsync(CancellationToken cancellationToken)
    {
        var result = new List<(RunTotals, IReadOnlyList<Histogram>)>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var newest = new List<RunTotals>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT {RunColumns} FROM spectra_runs r
                WHERE r.last_sent_at = (SELECT max(last_sent_at) FROM spectra_runs WHERE daq_id = r.daq_id);
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                newest.Add(ReadRun(reader));
            }
        }

        foreach (var totals in newest)
        {
            result.Add((totals, await ReadHistogramsAsync(connection, totals.DaqId, totals.Run, null, cancellationToken)));
        }

        return result;
    }

    public async Task<(RunTotals Totals, Histogram Histogram)?> GetLatestAsync(string daqId, long run, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var totals = await GetRunAsync(connection, daqId, run, cancellationToken);
        if (totals is null)
        {
            return null;
        }

        var histograms = await ReadHistogramsAsync(connection, daqId, run, key, cancellationToken);
        return histograms.Count == 0 ? null : (totals, histograms[0]);
    }

    /// <summary>The totals of a stored run with all its latest histograms; null when the run or its histograms are not stored.</summary>
    public async Task<(RunTotals Totals, IReadOnlyList<Histogram> Histograms)?> GetRunAsync(string daqId, long run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var totals = await GetRunAsync(connection, daqId, run, cancellationToken);
        if (totals is null)
        {
            return null;
        }

        var histograms = await ReadHistogramsAsync(connection, daqId, run, null, cancellationToken);
        return histograms.Count == 0 ? null : (totals, histograms);
    }

    public async Task<IReadOnlyList<SpectraRunInfo>> GetRunsAsync(string daqId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {RunColumns},
                (SELECT count(DISTINCT at) FROM spectra_snapshots s WHERE s.daq_id = r.daq_id AND s.run = r.run)
            FROM spectra_runs r WHERE r.daq_id = $daq ORDER BY r.run_started_at DESC, r.run DESC LIMIT 1000;
            """;
        command.Parameters.AddWithValue("$daq", daqId);
        var runs = new List<SpectraRunInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var t = ReadRun(reader);
            runs.Add(new SpectraRunInfo(t.DaqId, t.Run, t.RunStartedAt, t.LastSentAt, t.Seq, t.Triggers, t.LivetimeSeconds, t.ProtonsOnTarget, reader.GetInt32(9)));
        }

        return runs;
    }

    /// <summary>Every snapshot of a key in a run, oldest first.</summary>
    public async Task<IReadOnlyList<SnapshotRow>> GetSnapshotsAsync(string daqId, long run, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT at, seq, triggers, livetime_s, pot, counts FROM spectra_snapshots
            WHERE daq_id = $daq AND run = $run AND key = $key ORDER BY at LIMIT 100000;
            """;
        command.Parameters.AddWithValue("$daq", daqId);
        command.Parameters.AddWithValue("$run", run);
        command.Parameters.AddWithValue("$key", key);
        return await ReadSnapshotsAsync(command, cancellationToken);
    }

    /// <summary>The newest snapshot of a key in a run taken at or before <paramref name="at"/>; else the oldest one.</summary>
    public async Task<SnapshotRow?> GetSnapshotAtOrBeforeAsync(string daqId, long run, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT at, seq, triggers, livetime_s, pot, counts FROM spectra_snapshots
            WHERE daq_id = $daq AND run = $run AND key = $key
            ORDER BY (at <= $at) DESC, CASE WHEN at <= $at THEN at END DESC, at ASC LIMIT 1;
            """;
        command.Parameters.AddWithValue("$daq", daqId);
        command.Parameters.AddWithValue("$run", run);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$at", StateTimestamps.ToText(at));
        var rows = await ReadSnapshotsAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task SaveReferenceAsync(string name, RunTotals totals, IEnumerable<Histogram> histograms, string savedBy, DateTimeOffset savedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(histograms);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM spectra_references WHERE daq_id = $daq AND name = $name;";
            delete.Parameters.AddWithValue("$daq", totals.DaqId);
            delete.Parameters.AddWithValue("$name", name);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO spectra_references (daq_id, name, key, run, saved_at, saved_by, triggers, livetime_s, pot, edges, counts)
            VALUES ($daq, $name, $key, $run, $at, $by, $triggers, $livetime, $pot, $edges, $counts);
            """;
        command.Parameters.AddWithValue("$daq", totals.DaqId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$run", totals.Run);
        command.Parameters.AddWithValue("$at", StateTimestamps.ToText(savedAt));
        command.Parameters.AddWithValue("$by", savedBy);
        command.Parameters.AddWithValue("$triggers", totals.Triggers);
        command.Parameters.AddWithValue("$livetime", totals.LivetimeSeconds);
        command.Parameters.AddWithValue("$pot", totals.ProtonsOnTarget);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var edges = command.Parameters.Add("$edges", SqliteType.Blob);
        var counts = command.Parameters.Add("$counts", SqliteType.Blob);
        foreach (var histogram in histograms)
        {
            key.Value = histogram.Key;
            edges.Value = CountsCodec.EncodeEdges(histogram.Edges);
            counts.Value = CountsCodec.EncodeCounts(histogram.Counts);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Saved references of a DAQ, newest first.</summary>
    public async Task<IReadOnlyList<SpectrumReferenceInfo>> GetReferencesAsync(string daqId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT name, run, saved_at, saved_by, triggers, livetime_s, pot, count(*) FROM spectra_references
            WHERE daq_id = $daq GROUP BY name ORDER BY saved_at DESC LIMIT 1000;
            """;
        command.Parameters.AddWithValue("$daq", daqId);
        var list = new List<SpectrumReferenceInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new SpectrumReferenceInfo(daqId, reader.GetString(0), reader.GetInt64(1), StateTimestamps.Parse(reader.GetString(2)), reader.GetString(3),
                reader.GetInt64(4), reader.GetDouble(5), reader.GetDouble(6), reader.GetInt32(7)));
        }

        return list;
    }

    /// <summary>One histogram of a saved reference with the totals of the run it came from.</summary>
    public async Task<(SpectrumReferenceInfo Info, IReadOnlyList<double> Edges, long[] Counts)?> GetReferenceAsync(string daqId, string name, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT run, saved_at, saved_by, triggers, livetime_s, pot, edges, counts FROM spectra_references
            WHERE daq_id = $daq AND name = $name AND key = $key;
            """;
        command.Parameters.AddWithValue("$daq", daqId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var info = new SpectrumReferenceInfo(daqId, name, reader.GetInt64(0), StateTimestamps.Parse(reader.GetString(1)), reader.GetString(2),
            reader.GetInt64(3), reader.GetDouble(4), reader.GetDouble(5), 1);
        return (info, CountsCodec.DecodeEdges((byte[])reader[6]), CountsCodec.DecodeCounts((byte[])reader[7]));
    }

    /// <summary>Deletes snapshots taken before <paramref name="cutoff"/>; returns how many rows went.</summary>
    public async Task<int> DeleteSnapshotsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM spectra_snapshots WHERE at < $cutoff;";
        command.Parameters.AddWithValue("$cutoff", StateTimestamps.ToText(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string RunColumns = "r.daq_id, r.run, r.run_started_at, r.last_sent_at, r.seq, r.triggers, r.livetime_s, r.pot, r.simulated";

    private static RunTotals ReadRun(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        StateTimestamps.Parse(reader.GetString(2)),
        StateTimestamps.Parse(reader.GetString(3)),
        reader.GetInt64(4),
        reader.GetInt64(5),
        reader.GetDouble(6),
        reader.GetDouble(7),
        reader.GetInt64(8) != 0);

    private static async Task<RunTotals?> GetRunAsync(SqliteConnection connection, string daqId, long run, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM spectra_runs r WHERE r.daq_id = $daq AND r.run = $run;";
        command.Parameters.AddWithValue("$daq", daqId);
        command.Parameters.AddWithValue("$run", run);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRun(reader) : null;
    }

    private static async Task UpsertRunAsync(SqliteConnection connection, SqliteTransaction transaction, RunTotals totals, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO spectra_runs (daq_id, run, run_started_at, last_sent_at, seq, triggers, livetime_s, pot, simulated)
            VALUES ($daq, $run, $started, $sent, $seq, $triggers, $livetime, $pot, $simulated)
            ON CONFLICT (daq_id, run) DO UPDATE SET
                last_sent_at = excluded.last_sent_at, seq = excluded.seq, triggers = excluded.triggers,
                livetime_s = excluded.livetime_s, pot = excluded.pot, simulated = excluded.simulated;
            """;
        command.Parameters.AddWithValue("$daq", totals.DaqId);
        command.Parameters.AddWithValue("$run", totals.Run);
        command.Parameters.AddWithValue("$started", StateTimestamps.ToText(totals.RunStartedAt));
        command.Parameters.AddWithValue("$sent", StateTimestamps.ToText(totals.LastSentAt));
        command.Parameters.AddWithValue("$seq", totals.Seq);
        command.Parameters.AddWithValue("$triggers", totals.Triggers);
        command.Parameters.AddWithValue("$livetime", totals.LivetimeSeconds);
        command.Parameters.AddWithValue("$pot", totals.ProtonsOnTarget);
        command.Parameters.AddWithValue("$simulated", totals.Simulated ? 1 : 0);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<Histogram>> ReadHistogramsAsync(
        SqliteConnection connection, string daqId, long run, string? key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = key is null
            ? "SELECT key, kind, sub_detector, window, pmt, unit, edges, counts FROM spectra_latest WHERE daq_id = $daq AND run = $run ORDER BY key;"
            : "SELECT key, kind, sub_detector, window, pmt, unit, edges, counts FROM spectra_latest WHERE daq_id = $daq AND run = $run AND key = $key;";
        command.Parameters.AddWithValue("$daq", daqId);
        command.Parameters.AddWithValue("$run", run);
        if (key is not null)
        {
            command.Parameters.AddWithValue("$key", key);
        }

        var list = new List<Histogram>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Histogram(
                reader.GetString(0),
                Enum.Parse<HistogramKind>(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.IsDBNull(3) ? null : Enum.Parse<DaqWindow>(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                CountsCodec.DecodeEdges((byte[])reader[6]),
                CountsCodec.DecodeCounts((byte[])reader[7])));
        }

        return list;
    }

    private static async Task<IReadOnlyList<SnapshotRow>> ReadSnapshotsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<SnapshotRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SnapshotRow(
                StateTimestamps.Parse(reader.GetString(0)),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetDouble(3),
                reader.GetDouble(4),
                CountsCodec.DecodeCounts((byte[])reader[5])));
        }

        return rows;
    }
}
