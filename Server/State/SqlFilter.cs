using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.State;

/// <summary>
/// The WHERE clause of a query over a <c>state.db</c> table, built from optional filters: a condition
/// is added only when its value is present (not null), and every value is bound as a parameter whose
/// name the filter chooses, so no value ever becomes part of the SQL text. Column names and
/// conditions are SQL written in the code, never user input. One filter can prepare several
/// commands (the count and the page of the same query).
/// </summary>
public sealed partial class SqlFilter
{
    private const string LimitParameter = "$limit";
    private const string OffsetParameter = "$offset";

    private readonly List<string> _conditions = [];
    private readonly List<KeyValuePair<string, string>> _values = [];

    /// <summary><c>WHERE</c> and the conditions joined with AND, with a leading space; empty when there is none.</summary>
    public string WhereClause => _conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", _conditions);

    /// <summary>Keeps rows whose <paramref name="column"/> is at or after <paramref name="from"/>, when it is present.</summary>
    public SqlFilter AtOrAfter(string column, DateTimeOffset? from) =>
        Compare(column, ">=", from is { } instant ? StateTimestamps.ToText(instant) : null);

    /// <summary>Keeps rows whose <paramref name="column"/> is strictly before <paramref name="to"/>, when it is present.</summary>
    public SqlFilter Before(string column, DateTimeOffset? to) =>
        Compare(column, "<", to is { } instant ? StateTimestamps.ToText(instant) : null);

    /// <summary>The half-open range [<paramref name="from"/>, <paramref name="to"/>) on <paramref name="column"/>; either end may be absent.</summary>
    public SqlFilter Within(string column, DateTimeOffset? from, DateTimeOffset? to) =>
        AtOrAfter(column, from).Before(column, to);

    /// <summary>Keeps rows whose <paramref name="column"/> equals <paramref name="value"/> exactly, when it is present.</summary>
    public SqlFilter EqualTo(string column, string? value) => Compare(column, "=", value);

    /// <summary>Keeps rows where any of <paramref name="columns"/> contains <paramref name="text"/>, ignoring ASCII case, when it is present.</summary>
    public SqlFilter ContainsIgnoringCase(string? text, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfZero(columns.Length);
        foreach (var column in columns)
        {
            RequireColumnName(column);
        }

        return Where(text, parameter => string.Join(" OR ", columns.Select(column => $"instr(lower({column}), lower({parameter})) > 0")));
    }

    /// <summary>
    /// Adds the condition <paramref name="condition"/> writes around the name of a parameter bound to
    /// <paramref name="value"/>, when the value is present. The condition may use the name more than once.
    /// </summary>
    public SqlFilter Where(string? value, Func<string, string> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (value is null)
        {
            return this;
        }

        var parameter = "$filter" + _values.Count.ToString(CultureInfo.InvariantCulture);
        var text = condition(parameter);
        if (!text.Contains(parameter, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The condition '{text}' does not use its parameter {parameter}.", nameof(condition));
        }

        _values.Add(new(parameter, value));
        return Always(text);
    }

    /// <summary>Adds a fixed condition that takes no value.</summary>
    public SqlFilter Always(string condition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);

        // Parenthesised so that an OR inside one condition cannot escape the AND between them.
        _conditions.Add("(" + condition + ")");
        return this;
    }

    /// <summary>Binds the values of the conditions to <paramref name="command"/>.</summary>
    public void BindTo(SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var (parameter, value) in _values)
        {
            command.Parameters.AddWithValue(parameter, value);
        }
    }

    /// <summary>
    /// Makes <paramref name="command"/> the query <paramref name="select"/> (a SELECT … FROM …), this
    /// filter, <paramref name="orderBy"/> and, when given, one <paramref name="page"/> of the rows.
    /// </summary>
    public void PrepareSelect(SqliteCommand command, string select, string orderBy, SqlPage? page = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(select);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderBy);
        var paging = string.Empty;
        if (page is { } rows)
        {
            paging = $" LIMIT {LimitParameter} OFFSET {OffsetParameter}";
            command.Parameters.AddWithValue(LimitParameter, rows.Limit);
            command.Parameters.AddWithValue(OffsetParameter, rows.Offset);
        }

        command.CommandText = select + WhereClause + " " + orderBy + paging + ";";
        BindTo(command);
    }

    /// <summary>Makes <paramref name="command"/> count the rows of <paramref name="table"/> this filter keeps (no paging).</summary>
    public void PrepareCount(SqliteCommand command, string table)
    {
        ArgumentNullException.ThrowIfNull(command);
        RequireColumnName(table);
        command.CommandText = "SELECT count(*) FROM " + table + WhereClause + ";";
        BindTo(command);
    }

    private SqlFilter Compare(string column, string comparison, string? value)
    {
        RequireColumnName(column);
        return Where(value, parameter => $"{column} {comparison} {parameter}");
    }

    /// <summary>A name, possibly quoted or qualified by an alias: a slip that puts a value here fails at once.</summary>
    private static void RequireColumnName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!SqlNameRegex().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain SQL name.", nameof(name));
        }
    }

    [GeneratedRegex("""^(?:[A-Za-z_][A-Za-z0-9_]*\.)?(?:[A-Za-z_][A-Za-z0-9_]*|"[A-Za-z_][A-Za-z0-9_]*")$""")]
    private static partial Regex SqlNameRegex();
}

/// <summary>One page of a query's rows: at most <paramref name="Limit"/>, after skipping <paramref name="Offset"/>.</summary>
public readonly record struct SqlPage(int Limit, int Offset = 0);
