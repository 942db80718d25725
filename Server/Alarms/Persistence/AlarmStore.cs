using System.Globalization;
using System.Text.Json;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>
/// The alarm tables of <c>state.db</c>: <c>alarm_rules</c> (the rule set, one JSON row per rule in
/// its order), <c>alarm_states</c> (the latest snapshot per rule) and <c>alarm_history</c> (every
/// transition, append only).
/// </summary>
public sealed class AlarmStore(StateDatabase database, TimeProvider time, ILogger<AlarmStore> logger)
{
    /// <summary>The stored rule set in its order; empty when none was ever stored. Rows that no longer parse are logged and skipped.</summary>
    public async Task<IReadOnlyList<AlarmRule>> LoadRulesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, json FROM alarm_rules ORDER BY rowid;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rules = new List<AlarmRule>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (TryParse<AlarmRule>(reader.GetString(1), "rule", reader.GetString(0)) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    /// <summary>Replaces the stored rule set with <paramref name="rules"/>, in one transaction.</summary>
    public async Task SaveRulesAsync(IReadOnlyList<AlarmRule> rules, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM alarm_rules;";
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO alarm_rules (id, json, updated_at, updated_by) VALUES ($id, $json, $at, $user);";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var json = insert.Parameters.Add("$json", SqliteType.Text);
        insert.Parameters.AddWithValue("$at", StateTimestamps.ToText(time.GetUtcNow()));
        insert.Parameters.AddWithValue("$user", user);
        foreach (var rule in rules)
        {
            id.Value = rule.Id;
            json.Value = JsonSerializer.Serialize(rule, AlarmJson.Options);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AlarmStateSnapshot>> LoadStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT rule_id, json FROM alarm_states;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var snapshots = new List<AlarmStateSnapshot>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (TryParse<AlarmStateSnapshot>(reader.GetString(1), "alarm state", reader.GetString(0)) is { } snapshot)
            {
                snapshots.Add(snapshot);
            }
        }

        return snapshots;
    }

    /// <summary>
    /// Appends <paramref name="transitions"/> to the history in their order and stores the latest
    /// state of the rules they touched: <paramref name="snapshots"/> are upserted, and touched rules
    /// without a snapshot (removed or disabled) lose their stored state. One transaction.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<AlarmTransition> transitions, IReadOnlyList<AlarmStateSnapshot> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(snapshots);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO alarm_history (alarm_id, rule_id, rule_name, severity, from_state, to_state, at, "user", value, comment)
                VALUES ($alarm, $rule, $name, $severity, $from, $to, $at, $user, $value, $comment);
                """;
            var alarm = insert.Parameters.Add("$alarm", SqliteType.Text);
            var rule = insert.Parameters.Add("$rule", SqliteType.Text);
            var name = insert.Parameters.Add("$name", SqliteType.Text);
            var severity = insert.Parameters.Add("$severity", SqliteType.Text);
            var from = insert.Parameters.Add("$from", SqliteType.Text);
            var to = insert.Parameters.Add("$to", SqliteType.Text);
            var at = insert.Parameters.Add("$at", SqliteType.Text);
            var user = insert.Parameters.Add("$user", SqliteType.Text);
            var value = insert.Parameters.Add("$value", SqliteType.Real);
            var comment = insert.Parameters.Add("$comment", SqliteType.Text);
            foreach (var transition in transitions)
            {
                alarm.Value = transition.AlarmId;
                rule.Value = transition.RuleId;
                name.Value = transition.RuleName;
                severity.Value = transition.Severity.ToString();
                from.Value = transition.From.ToString();
                to.Value = transition.To.ToString();
                at.Value = StateTimestamps.ToText(transition.At);
                user.Value = transition.User;
                value.Value = transition.Value is { } v && double.IsFinite(v) ? v : DBNull.Value;
                comment.Value = (object?)transition.Comment ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var now = StateTimestamps.ToText(time.GetUtcNow());
        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO alarm_states (rule_id, json, updated_at) VALUES ($rule, $json, $at)
                ON CONFLICT (rule_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at;
                """;
            var rule = upsert.Parameters.Add("$rule", SqliteType.Text);
            var json = upsert.Parameters.Add("$json", SqliteType.Text);
            upsert.Parameters.AddWithValue("$at", now);
            foreach (var snapshot in snapshots)
            {
                rule.Value = snapshot.RuleId;
                json.Value = JsonSerializer.Serialize(snapshot, AlarmJson.Options);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var kept = snapshots.Select(s => s.RuleId).ToHashSet(StringComparer.Ordinal);
        var gone = transitions.Select(t => t.RuleId).Where(id => !kept.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        if (gone.Count > 0)
        {
            await using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM alarm_states WHERE rule_id = $rule;";
            var rule = delete.Parameters.Add("$rule", SqliteType.Text);
            foreach (var id in gone)
            {
                rule.Value = id;
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>History rows matching <paramref name="query"/>, newest first (ties in recording order, reversed).</summary>
    public async Task<IReadOnlyList<AlarmHistoryEntry>> QueryHistoryAsync(AlarmHistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        new SqlFilter()
            .Within("at", query.From, query.To)
            .EqualTo("rule_id", query.RuleId)
            .EqualTo("severity", query.Severity?.ToString())
            .PrepareSelect(
                command,
                """SELECT id, alarm_id, rule_id, rule_name, severity, from_state, to_state, at, "user", value, comment FROM alarm_history""",
                "ORDER BY at DESC, id DESC",
                new SqlPage(Math.Clamp(query.Limit, 1, AlarmHistoryQuery.MaxLimit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AlarmHistoryEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AlarmHistoryEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                Enum.Parse<AlarmSeverity>(reader.GetString(4)),
                Enum.Parse<AlarmState>(reader.GetString(5)),
                Enum.Parse<AlarmState>(reader.GetString(6)),
                StateTimestamps.Parse(reader.GetString(7)),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return entries;
    }

    /// <summary>How many history rows exist (diagnostics and tests).</summary>
    public async Task<long> CountHistoryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM alarm_history;";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private T? TryParse<T>(string json, string what, string id)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, AlarmJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            // A row written by another version of the server: skipping it beats refusing to start.
            logger.LogError(exception, "Stored {What} '{Id}' in the state database cannot be read and is skipped", what, id);
            return null;
        }
    }
}
