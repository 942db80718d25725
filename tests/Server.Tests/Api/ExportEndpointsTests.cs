using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Hosting;

namespace Clovers.Monitor.Server.Tests.Api;

/// <summary>
/// A server with two channels stored over ten minutes: <see cref="Ramp"/> reads its second index
/// every second, except during the 7th ten-second bucket (a gap); <see cref="Steps"/> reads
/// 1000 + bucket index once per ten seconds.
/// </summary>
public sealed class ExportServerFactory : MonitorServerFactory, IAsyncLifetime
{
    public const string Ramp = "export.ramp";
    public const string Steps = "export.steps";
    public const int Seconds = 600;
    public const int GapBucket = 6;

    public DateTimeOffset Start { get; } = FloorToTenMinutes(DateTimeOffset.UtcNow.AddMinutes(-20));

    public DateTimeOffset End => Start.AddSeconds(Seconds);

    public async Task InitializeAsync()
    {
        using var http = CreateClient();
        await Eventually.ReturnsAsync(() => http.GetAsync(ApiRoutes.Health), r => r.StatusCode == HttpStatusCode.OK, because: "ingest connects");

        await using var agent = await TestPublisher.ConnectAsync(MqttPort, "agent-export");
        await agent.BirthAsync(
            "agent-export",
            new ChannelDescriptor(Ramp, "K", "ramp", ChannelGroup.Cryogenics, new Band(null, null), 1),
            new ChannelDescriptor(Steps, "%", "steps", ChannelGroup.Cryogenics, new Band(null, null), 1));
        var ramp = Enumerable.Range(0, Seconds)
            .Where(i => i / 10 != GapBucket)
            .Select(i => new Reading(Ramp, Start.AddSeconds(i), i));
        var steps = Enumerable.Range(0, Seconds / 10).Select(k => new Reading(Steps, Start.AddSeconds((10 * k) + 5), 1000 + k));
        var readings = ramp.Concat(steps).ToArray();
        await agent.ReadingsAsync("agent-export", readings);

        await Eventually.ReturnsAsync(
            () => http.GetFromJsonAsync(ApiRoutes.IngestDiagnostics, ApiJsonContext.Default.IngestDiagnostics)!,
            d => d!.ReadingsStored >= readings.Length,
            because: "the seeded readings are stored");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    // Ten-minute boundaries keep the thirty-day exports aligned to their five-minute default step.
    private static DateTimeOffset FloorToTenMinutes(DateTimeOffset time) =>
        new(time.Year, time.Month, time.Day, time.Hour, time.Minute - (time.Minute % 10), 0, TimeSpan.Zero);
}

public sealed class ExportEndpointsTests : IClassFixture<ExportServerFactory>
{
    private const string Ramp = ExportServerFactory.Ramp;
    private const string Steps = ExportServerFactory.Steps;

    private readonly ExportServerFactory _factory;
    private readonly HttpClient _http;

    public ExportEndpointsTests(ExportServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    private DateTimeOffset Start => _factory.Start;

    private DateTimeOffset End => _factory.End;

    [Fact]
    public async Task Csv_KnownRange_HeaderThenOneRowPerStep()
    {
        var lines = await CsvLinesAsync(ApiRoutes.HistoryCsv([Ramp], Start, End, 10));

        Assert.Equal($"time,{Ramp},{Ramp}.min,{Ramp}.max", lines[0]);
        Assert.Equal(61, lines.Length);
        Assert.StartsWith(Iso(Start) + ",", lines[1], StringComparison.Ordinal);
        Assert.StartsWith(Iso(End.AddSeconds(-10)) + ",", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_EveryRow_CarriesTheStoredMeanMinAndMax()
    {
        var history = await _http.GetFromJsonAsync(ApiRoutes.History(Ramp, Start, End, 60), ApiJsonContext.Default.ChannelHistory);

        var rows = (await CsvLinesAsync(ApiRoutes.HistoryCsv([Ramp], Start, End, 10))).Skip(1).Select(line => line.Split(',')).ToList();

        Assert.Equal(10, history!.BucketSeconds);
        Assert.Equal(history.Buckets.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var bucket = history.Buckets[i];
            Assert.Equal([Iso(bucket.Start), Cell(bucket.Mean), Cell(bucket.Min), Cell(bucket.Max)], rows[i]);
        }
    }

    [Fact]
    public async Task Csv_BucketWithoutReadings_IsEmptyCells()
    {
        var lines = await CsvLinesAsync(ApiRoutes.HistoryCsv([Ramp], Start, End, 10));

        Assert.Equal($"{Iso(Start.AddSeconds(10 * ExportServerFactory.GapBucket))},,,", lines[1 + ExportServerFactory.GapBucket]);
        Assert.Equal($"{Iso(Start.AddSeconds(70))},74.5,70,79", lines[1 + ExportServerFactory.GapBucket + 1]);
    }

    [Fact]
    public async Task Csv_Response_IsAUtf8CsvAttachmentNamedAfterTheRange()
    {
        using var response = await _http.GetAsync(ApiRoutes.HistoryCsv([Ramp], Start, End, 10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var expected = FormattableString.Invariant(
            $"attachment; filename=\"clovers-history-{Start.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{End.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.csv\"");
        Assert.Equal(expected, string.Join(", ", response.Content.Headers.GetValues("Content-Disposition")));
    }

    [Fact]
    public async Task Csv_TwoChannels_StandSideBySide()
    {
        var lines = await CsvLinesAsync(ApiRoutes.HistoryCsv([Ramp, Steps], Start, End, 10));

        Assert.Equal($"time,{Ramp},{Ramp}.min,{Ramp}.max,{Steps},{Steps}.min,{Steps}.max", lines[0]);
        Assert.Equal($"{Iso(Start.AddSeconds(20))},24.5,20,29,1002,1002,1002", lines[3]);
        Assert.Equal($"{Iso(Start.AddSeconds(60))},,,,1006,1006,1006", lines[1 + ExportServerFactory.GapBucket]);
    }

    [Theory]
    [InlineData("7", 10, 60)]
    [InlineData("PT10S", 10, 60)]
    [InlineData("PT45S", 60, 10)]
    [InlineData("60", 60, 10)]
    public async Task Csv_Step_RoundedUpToAStoreWidthAndNamedInAHeader(string step, int expectedSeconds, int expectedRows)
    {
        var url = ApiRoutes.HistoryCsv([Ramp], Start, End, null) + "&step=" + step;

        using var response = await _http.GetAsync(url);
        var lines = SplitLines(await response.Content.ReadAsStringAsync());

        Assert.Equal(expectedSeconds.ToString(CultureInfo.InvariantCulture), Assert.Single(response.Headers.GetValues(ExportEndpoints.StepHeader)));
        Assert.Equal(expectedRows, lines.Length - 1);
    }

    [Fact]
    public async Task Csv_NoStep_ChoosesOneThatKeepsTheRangeWithinTenThousandRows()
    {
        using var response = await _http.GetAsync(ApiRoutes.HistoryCsv([Ramp], End.AddDays(-30), End, null));
        var rows = SplitLines(await response.Content.ReadAsStringAsync()).Length - 1;

        Assert.Equal("300", Assert.Single(response.Headers.GetValues(ExportEndpoints.StepHeader)));
        Assert.Equal(30 * 24 * 12, rows);
    }

    [Fact]
    public async Task Csv_ThirtyDaysAtTenSeconds_StreamsEveryRow()
    {
        using var response = await _http.GetAsync(ApiRoutes.HistoryCsv([Ramp], End.AddDays(-30), End, 10), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);

        var rows = 0;
        var filled = 0;
        await reader.ReadLineAsync();
        while (await reader.ReadLineAsync() is { } line)
        {
            rows++;
            if (!line.EndsWith(",,,", StringComparison.Ordinal))
            {
                filled++;
            }
        }

        Assert.Equal(30 * 24 * 360, rows);
        Assert.Equal((ExportServerFactory.Seconds / 10) - 1, filled);
    }

    [Fact]
    public async Task Json_SameQuery_MatchesTheStoredBuckets()
    {
        var history = await _http.GetFromJsonAsync(ApiRoutes.History(Ramp, Start, End, 60), ApiJsonContext.Default.ChannelHistory);

        using var response = await _http.GetAsync(ApiRoutes.HistoryJson([Ramp, Steps], Start, End, 10));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var root = document.RootElement;
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(10, root.GetProperty("stepSeconds").GetInt32());
        Assert.Equal(Start, root.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(End, root.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(new[] { Ramp, Steps }, root.GetProperty("channels").EnumerateArray().Select(c => c.GetString()).ToArray());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(history!.Buckets.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var bucket = history.Buckets[i];
            var ramp = rows[i].GetProperty("values").GetProperty(Ramp);
            Assert.Equal(bucket.Start, rows[i].GetProperty("time").GetDateTimeOffset());
            Assert.Equal(bucket.Count, ramp.GetProperty("count").GetInt64());
            Assert.Equal(bucket.Mean, Number(ramp.GetProperty("mean")));
            Assert.Equal(bucket.Min, Number(ramp.GetProperty("min")));
            Assert.Equal(bucket.Max, Number(ramp.GetProperty("max")));
            Assert.Equal(1000 + i, rows[i].GetProperty("values").GetProperty(Steps).GetProperty("mean").GetDouble());
        }
    }

    [Fact]
    public async Task Json_Response_IsAnAttachmentWithTheStepHeader()
    {
        using var response = await _http.GetAsync(ApiRoutes.HistoryJson([Ramp], Start, End, 10));

        Assert.Equal("10", Assert.Single(response.Headers.GetValues(ExportEndpoints.StepHeader)));
        Assert.EndsWith(".json\"", string.Join(", ", response.Content.Headers.GetValues("Content-Disposition")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("channels=")]
    [InlineData("channels=NOT%20A%20CHANNEL")]
    [InlineData("channels=export.ramp,export.ramp")]
    [InlineData("channels=export.ramp&from=yesterday")]
    [InlineData("channels=export.ramp&to=soon")]
    [InlineData("channels=export.ramp&from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z")]
    [InlineData("channels=export.ramp&from=2026-11-26T10:00:00Z&to=2026-11-26T10:00:00Z")]
    [InlineData("channels=export.ramp&from=2010-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("channels=export.ramp&step=abc")]
    [InlineData("channels=export.ramp&step=0")]
    [InlineData("channels=export.ramp&step=-10")]
    [InlineData("channels=export.ramp&step=PT0S")]
    [InlineData("channels=export.ramp&step=-PT10S")]
    [InlineData("channels=export.ramp&step=P20000D")]
    [InlineData("channels=export.ramp&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&step=1")]
    public async Task Export_BadQuery_AnswersProblemJson400(string query)
    {
        foreach (var route in new[] { ApiRoutes.ExportCsv, ApiRoutes.ExportJson })
        {
            using var response = await _http.GetAsync($"{route}?{query}");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Export_FiftyOneChannels_AnswersProblemJson400()
    {
        var channels = Enumerable.Range(0, ExportEndpoints.MaxChannels + 1).Select(i => $"export.c{i}");

        using var response = await _http.GetAsync(ApiRoutes.HistoryCsv(channels, Start, End, 10));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Export_UnknownChannel_AnswersProblemJson404NamingIt()
    {
        using var response = await _http.GetAsync(ApiRoutes.HistoryCsv([Ramp, "nobody.declared.this"], Start, End, 10));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nobody.declared.this", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DocumentsBothExports()
    {
        var document = await _http.GetStringAsync("/openapi/v1.json");

        Assert.Contains(ApiRoutes.ExportCsv, document, StringComparison.Ordinal);
        Assert.Contains(ApiRoutes.ExportJson, document, StringComparison.Ordinal);
    }

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Cell(double? value) => value?.ToString("G10", CultureInfo.InvariantCulture) ?? string.Empty;

    private static double? Number(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetDouble();

    private static string[] SplitLines(string text) => text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    private async Task<string[]> CsvLinesAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return SplitLines(await response.Content.ReadAsStringAsync());
    }
}

/// <summary>
/// A server that keeps raw rows only about an hour, holding a channel read every second three
/// hours ago: the store serves that time from ten-second rollups only.
/// </summary>
public sealed class ShortRetentionServerFactory : MonitorServerFactory, IAsyncLifetime
{
    public const string Channel = "export.old";
    public const int Seconds = 30;

    public DateTimeOffset Start { get; } = FloorToMinute(DateTimeOffset.UtcNow.AddHours(-3));

    public async Task InitializeAsync()
    {
        using var http = CreateClient();
        await Eventually.ReturnsAsync(() => http.GetAsync(ApiRoutes.Health), r => r.StatusCode == HttpStatusCode.OK, because: "ingest connects");

        await using var agent = await TestPublisher.ConnectAsync(MqttPort, "agent-old");
        await agent.BirthAsync("agent-old", new ChannelDescriptor(Channel, "K", "old", ChannelGroup.Cryogenics, new Band(null, null), 1));
        var readings = Enumerable.Range(0, Seconds).Select(i => new Reading(Channel, Start.AddSeconds(i), i)).ToArray();
        await agent.ReadingsAsync("agent-old", readings);

        await Eventually.ReturnsAsync(
            () => http.GetFromJsonAsync(ApiRoutes.IngestDiagnostics, ApiJsonContext.Default.IngestDiagnostics)!,
            d => d!.ReadingsStored >= readings.Length,
            because: "the seeded readings are stored");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Storage:RawRetention", "01:00:00");
    }

    private static DateTimeOffset FloorToMinute(DateTimeOffset time) =>
        new(time.Year, time.Month, time.Day, time.Hour, time.Minute, 0, TimeSpan.Zero);
}

public sealed class ExportPastRawRetentionTests : IClassFixture<ShortRetentionServerFactory>
{
    private readonly ShortRetentionServerFactory _factory;
    private readonly HttpClient _http;

    public ExportPastRawRetentionTests(ShortRetentionServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    [Fact]
    public async Task Csv_StepFinerThanTheStoreKeeps_RaisedToTheRollupWidthAndSaidInAHeader()
    {
        var start = _factory.Start;

        using var response = await _http.GetAsync(ApiRoutes.HistoryCsv([ShortRetentionServerFactory.Channel], start, start.AddMinutes(1), 1));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("10", Assert.Single(response.Headers.GetValues(ExportEndpoints.StepHeader)));
        Assert.Equal(7, lines.Length);
        Assert.Equal($"{start.AddSeconds(10).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},14.5,10,19", lines[2]);
        Assert.EndsWith(",,,", lines[4], StringComparison.Ordinal);
    }
}
