using System.Globalization;
using Clovers.Monitor.Server.State;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Tests.State;

public sealed class SqlFilterTests : IAsyncLifetime
{
    private const string SelectNames = "SELECT name FROM items";
    private const string ByName = "ORDER BY name";
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE items (name TEXT NOT NULL, kind TEXT NOT NULL, note TEXT NOT NULL, at TEXT NOT NULL);";
        await create.ExecuteNonQueryAsync();
        await InsertAsync("alpha", "pump", "Pressure LOW", T0);
        await InsertAsync("bravo", "pump", "all fine", T0.AddMinutes(1));
        await InsertAsync("charlie", "valve", "low flow", T0.AddMinutes(2));
        await InsertAsync("delta", "valve", "stuck", T0.AddMinutes(3));
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task PrepareSelect_NoValuePresent_KeepsEveryRow()
    {
        var filter = new SqlFilter().Within("at", null, null).EqualTo("kind", null).ContainsIgnoringCase(null, "note");

        Assert.Equal(["alpha", "bravo", "charlie", "delta"], await NamesAsync(filter));
    }

    [Fact]
    public void WhereClause_NoValuePresent_IsEmpty()
    {
        Assert.Equal(string.Empty, new SqlFilter().EqualTo("kind", null).WhereClause);
    }

    [Fact]
    public async Task EqualTo_InjectedValue_IsBoundAndMatchesNothing()
    {
        const string injection = "x' OR 1=1 --";
        var filter = new SqlFilter().EqualTo("name", injection);
        await using var command = _connection.CreateCommand();
        filter.PrepareSelect(command, SelectNames, ByName);

        Assert.DoesNotContain(injection, command.CommandText, StringComparison.Ordinal);
        Assert.Contains(command.Parameters.Cast<SqliteParameter>(), p => Equals(p.Value, injection));
        Assert.Empty(await NamesAsync(filter));
    }

    [Fact]
    public async Task EqualTo_StoredInjectedValue_MatchesThatRowOnly()
    {
        const string injection = "x' OR 1=1 --";
        await InsertAsync(injection, "pump", "note", T0);

        Assert.Equal([injection], await NamesAsync(new SqlFilter().EqualTo("name", injection)));
    }

    [Fact]
    public async Task Within_BothEnds_KeepsHalfOpenRange()
    {
        var filter = new SqlFilter().Within("at", T0.AddMinutes(1), T0.AddMinutes(3));

        Assert.Equal(["bravo", "charlie"], await NamesAsync(filter));
    }

    [Fact]
    public async Task AtOrAfter_Alone_KeepsRowsFromThatInstant()
    {
        Assert.Equal(["charlie", "delta"], await NamesAsync(new SqlFilter().AtOrAfter("at", T0.AddMinutes(2))));
    }

    [Fact]
    public async Task Before_Alone_KeepsRowsStrictlyBefore()
    {
        Assert.Equal(["alpha"], await NamesAsync(new SqlFilter().Before("at", T0.AddMinutes(1))));
    }

    [Fact]
    public async Task EqualTo_WithRange_BothMustHold()
    {
        var filter = new SqlFilter().EqualTo("kind", "valve").Within("at", null, T0.AddMinutes(3));

        Assert.Equal(["charlie"], await NamesAsync(filter));
    }

    [Fact]
    public async Task ContainsIgnoringCase_TwoColumns_MatchesEitherIgnoringCase()
    {
        var filter = new SqlFilter().ContainsIgnoringCase("LO", "note", "name");

        Assert.Equal(["alpha", "charlie"], await NamesAsync(filter));
    }

    [Fact]
    public async Task Where_ConditionWithOr_StaysWithinItsAnd()
    {
        var filter = new SqlFilter()
            .Where("alpha", name => $"name = {name} OR name = 'delta'")
            .EqualTo("kind", "valve");

        Assert.Equal(["delta"], await NamesAsync(filter));
    }

    [Fact]
    public async Task Where_ParameterUsedTwice_BindsOneValue()
    {
        var filter = new SqlFilter().Where("bravo", name => $"name = {name} OR kind = {name}");

        Assert.Equal(["bravo"], await NamesAsync(filter));
    }

    [Fact]
    public void Where_ConditionWithoutItsParameter_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SqlFilter().Where("alpha", _ => "name = 'alpha'"));
    }

    [Fact]
    public async Task Always_FixedCondition_IsApplied()
    {
        Assert.Equal(["charlie", "delta"], await NamesAsync(new SqlFilter().Always("kind <> 'pump'")));
    }

    [Theory]
    [InlineData("name = 'x'")]
    [InlineData("name; DROP TABLE items")]
    [InlineData("")]
    public void EqualTo_ColumnThatIsNotAName_Throws(string column)
    {
        Assert.Throws<ArgumentException>(() => new SqlFilter().EqualTo(column, "x"));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("e.name")]
    [InlineData("\"user\"")]
    public void EqualTo_PlainQuotedOrQualifiedName_IsAccepted(string column)
    {
        Assert.NotEmpty(new SqlFilter().EqualTo(column, "x").WhereClause);
    }

    [Fact]
    public async Task PrepareSelect_Page_SkipsOffsetAndTakesLimit()
    {
        var names = await NamesAsync(new SqlFilter(), new SqlPage(Limit: 2, Offset: 1));

        Assert.Equal(["bravo", "charlie"], names);
    }

    [Fact]
    public async Task PrepareCount_SameFilterAsPage_CountsEveryMatchNotThePage()
    {
        var filter = new SqlFilter().EqualTo("kind", "valve");
        await using var count = _connection.CreateCommand();
        filter.PrepareCount(count, "items");
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var page = await NamesAsync(filter, new SqlPage(Limit: 1));

        Assert.Equal(2, total);
        Assert.Equal(["charlie"], page);
    }

    private async Task InsertAsync(string name, string kind, string note, DateTimeOffset at)
    {
        await using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO items (name, kind, note, at) VALUES ($name, $kind, $note, $at);";
        insert.Parameters.AddWithValue("$name", name);
        insert.Parameters.AddWithValue("$kind", kind);
        insert.Parameters.AddWithValue("$note", note);
        insert.Parameters.AddWithValue("$at", StateTimestamps.ToText(at));
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> NamesAsync(SqlFilter filter, SqlPage? page = null)
    {
        await using var command = _connection.CreateCommand();
        filter.PrepareSelect(command, SelectNames, ByName, page);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
