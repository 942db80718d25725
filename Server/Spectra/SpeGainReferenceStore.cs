using Clovers.Monitor.Server.State;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>A PMT's reference SPE gain (pC): taken at <paramref name="TakenAt"/> in <paramref name="Run"/> by a user or automatically.</summary>
public sealed record SpeGainReference(string DaqId, string Pmt, double Gain, DateTimeOffset TakenAt, long Run, string TakenBy);

/// <summary>
/// The <c>spe_gain_references</c> table of state.db (migration 10): one reference gain per DAQ and
/// PMT, so that the drift of a gain is measured from the same reference across runs and restarts.
/// </summary>
public sealed class SpeGainReferenceStore(StateDatabase database)
{
    private const string Columns = "daq_id, pmt, gain_pc, taken_at, run, taken_by";

    /// <summary>Every stored reference, or those of one DAQ; ordered by DAQ and PMT.</summary>
    public async Task<IReadOnlyList<SpeGainReference>> LoadAsync(string? daqId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM spe_gain_references WHERE $daq IS NULL OR daq_id = $daq ORDER BY daq_id, pmt;";
        command.Parameters.AddWithValue("$daq", (object?)daqId ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var references = new List<SpeGainReference>();
        while (await reader.ReadAsync(cancellationToken))
        {
            references.Add(new SpeGainReference(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetDouble(2),
                StateTimestamps.Parse(reader.GetString(3)),
                reader.GetInt64(4),
                reader.GetString(5)));
        }

        return references;
    }

    /// <summary>Stores <paramref name="references"/>, each replacing the one of its DAQ and PMT, in one transaction.</summary>
    public async Task SaveAsync(IReadOnlyCollection<SpeGainReference> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO spe_gain_references ({Columns}) VALUES ($daq, $pmt, $gain, $at, $run, $by)
            ON CONFLICT (daq_id, pmt) DO UPDATE SET
                gain_pc = excluded.gain_pc, taken_at = excluded.taken_at, run = excluded.run, taken_by = excluded.taken_by;
            """;
        // One prepared statement, its parameters in column order, reused for every row.
        var parameters = Array.ConvertAll(["$daq", "$pmt", "$gain", "$at", "$run", "$by"], name => command.Parameters.Add(new SqliteParameter { ParameterName = name }));
        foreach (var reference in references)
        {
            object[] values = [reference.DaqId, reference.Pmt, reference.Gain, StateTimestamps.ToText(reference.TakenAt), reference.Run, reference.TakenBy];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i];
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
