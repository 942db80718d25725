using System.Globalization;
using System.Text.Json;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Api;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>A logbook entry as stored: Markdown only; HTML is rendered when it is read.</summary>
public sealed record StoredLogbookEntry(
    long Id,
    DateTimeOffset At,
    string Author,
    IReadOnlyList<string> Tags,
    string Markdown,
    IReadOnlyList<LogbookChannelSnapshot> Snapshots);

/// <summary>The logbook tables of <c>state.db</c> (migration 7). Entries are append only.</summary>
public sealed class LogbookStore(StateDatabase database)
{
    public async Task<long> AddAsync(
        DateTimeOffset at, string author, string markdown, IReadOnlyList<string> tags, IReadOnlyList<LogbookChannelSnapshot> snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(snapshots);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        long id;
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO logbook_entries (at, author, markdown) VALUES ($at, $author, $markdown) RETURNING id;";
            insert.Parameters.AddWithValue("$at", StateTimestamps.ToText(at));
            insert.Parameters.AddWithValue("$author", author);
            insert.Parameters.AddWithValue("$markdown", markdown);
            id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using (var insertTag = connection.CreateCommand())
        {
            insertTag.Transaction = transaction;
            insertTag.CommandText = "INSERT OR IGNORE INTO logbook_tags (entry_id, tag, position) VALUES ($entry, $tag, $position);";
            insertTag.Parameters.AddWithValue("$entry", id);
            var tag = insertTag.Parameters.Add("$tag", SqliteType.Text);
            var position = insertTag.Parameters.Add("$position", SqliteType.Integer);
            for (var i = 0; i < tags.Count; i++)
            {
                tag.Value = tags[i];
                position.Value = i;
                await insertTag.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var insertSnapshot = connection.CreateCommand())
        {
            insertSnapshot.Transaction = transaction;
            insertSnapshot.CommandText = """
                INSERT INTO logbook_snapshots (entry_id, channel, unit, from_at, to_at, bucket_seconds, buckets)
                VALUES ($entry, $channel, $unit, $from, $to, $seconds, $buckets);
                """;
            insertSnapshot.Parameters.AddWithValue("$entry", id);
            var channel = insertSnapshot.Parameters.Add("$channel", SqliteType.Text);
            var unit = insertSnapshot.Parameters.Add("$unit", SqliteType.Text);
            var from = insertSnapshot.Parameters.Add("$from", SqliteType.Text);
            var to = insertSnapshot.Parameters.Add("$to", SqliteType.Text);
            var seconds = insertSnapshot.Parameters.Add("$seconds", SqliteType.Real);
            var buckets = insertSnapshot.Parameters.Add("$buckets", SqliteType.Text);
            foreach (var snapshot in snapshots)
            {
                channel.Value = snapshot.Channel;
                unit.Value = snapshot.Unit;
                from.Value = StateTimestamps.ToText(snapshot.From);
                to.Value = StateTimestamps.ToText(snapshot.To);
                seconds.Value = snapshot.BucketSeconds;
                buckets.Value = JsonSerializer.Serialize(snapshot.Buckets, LogbookJsonContext.Default.IReadOnlyListHistoryBucket);
                await insertSnapshot.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<StoredLogbookEntry?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, at, author, markdown FROM logbook_entries WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        var entries = await ReadEntriesAsync(connection, command, cancellationToken);
        return entries.Count == 0 ? null : entries[0];
    }

    /// <summary>Entries matching the filter (paging ignored), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredLogbookEntry>> QueryAsync(LogbookFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        new SqlFilter()
            .Within("e.at", filter.From, filter.To)
            .Where(filter.Author, author => $"e.author = {author} COLLATE NOCASE")
            .Where(filter.Tag, tag => $"EXISTS (SELECT 1 FROM logbook_tags t WHERE t.entry_id = e.id AND t.tag = {tag})")
            .ContainsIgnoringCase(filter.Text, "e.markdown")
            .PrepareSelect(command, "SELECT e.id, e.at, e.author, e.markdown FROM logbook_entries e", "ORDER BY e.at DESC, e.id DESC", new SqlPage(limit));
        return await ReadEntriesAsync(connection, command, cancellationToken);
    }

    private static async Task<List<StoredLogbookEntry>> ReadEntriesAsync(SqliteConnection connection, SqliteCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<(long Id, DateTimeOffset At, string Author, string Markdown)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), StateTimestamps.Parse(reader.GetString(1)), reader.GetString(2), reader.GetString(3)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var ids = string.Join(',', rows.Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
        var tags = new Dictionary<long, List<string>>();
        await using (var tagCommand = connection.CreateCommand())
        {
            // The ids are integers read just now, so they are safe to put into the text.
            tagCommand.CommandText = $"SELECT entry_id, tag FROM logbook_tags WHERE entry_id IN ({ids}) ORDER BY entry_id, position;";
            await using var reader = await tagCommand.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                CollectionsGet(tags, reader.GetInt64(0)).Add(reader.GetString(1));
            }
        }

        var snapshots = new Dictionary<long, List<LogbookChannelSnapshot>>();
        await using (var snapshotCommand = connection.CreateCommand())
        {
            snapshotCommand.CommandText = $"SELECT entry_id, channel, unit, from_at, to_at, bucket_seconds, buckets FROM logbook_snapshots WHERE entry_id IN ({ids}) ORDER BY id;";
            await using var reader = await snapshotCommand.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var buckets = JsonSerializer.Deserialize(reader.GetString(6), LogbookJsonContext.Default.IReadOnlyListHistoryBucket) ?? [];
                CollectionsGet(snapshots, reader.GetInt64(0)).Add(new LogbookChannelSnapshot(
                    reader.GetString(1),
                    reader.GetString(2),
                    StateTimestamps.Parse(reader.GetString(3)),
                    StateTimestamps.Parse(reader.GetString(4)),
                    reader.GetDouble(5),
                    buckets));
            }
        }

        return rows.Select(r => new StoredLogbookEntry(
                r.Id,
                r.At,
                r.Author,
                tags.TryGetValue(r.Id, out var t) ? t : [],
                r.Markdown,
                snapshots.TryGetValue(r.Id, out var s) ? s : []))
            .ToList();
    }

    private static List<T> CollectionsGet<T>(Dictionary<long, List<T>> map, long key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }
}

/// <summary>Source-generated JSON of the stored snapshot buckets.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<HistoryBucket>))]
internal sealed partial class LogbookJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
