using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Storage.Influx;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Server.Tests.Storage.Influx;

/// <summary>The Influx store against <see cref="FakeInfluxServer"/>: what goes over the wire, retries, and how answers map.</summary>
public sealed class InfluxTimeSeriesStoreTests : IAsyncLifetime
{
    private const string Token = "s3cr3t-t0ken-value";
    private const string Channel = "cryo.dewar.temperature";

    private static readonly DateTimeOffset T0 = TemporaryStore.T0;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly RecordingLogger _logger = new();
    private FakeInfluxServer? _server;

    private FakeInfluxServer Server => _server!;

    public async Task InitializeAsync() => _server = await FakeInfluxServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task WriteAsync_Batch_PostsOneLinePerReadingWithMillisecondPrecisionToTheBucketWithTheToken()
    {
        using var store = CreateStore();
        Reading[] readings = [new(Channel, T0, 77.3), new(Channel, T0.AddSeconds(1), 77.4, Quality.Bad)];

        await store.WriteAsync(readings, None);

        var write = Assert.Single(Server.Writes);
        Assert.Equal(new[] { "clovers", "monitor", "ms", "Token " + Token }, new[] { write.Org, write.Bucket, write.Precision, write.Authorization });
        Assert.Equal(readings.Select(InfluxLineProtocol.ToLine), write.Lines);
    }

    [Fact]
    public async Task WriteAsync_MoreReadingsThanBatchSize_SplitsThemIntoRequests()
    {
        using var store = CreateStore(o => o.BatchSize = 2);

        await store.WriteAsync(TemporaryStore.Series(Channel, T0, 5, TimeSpan.FromSeconds(1), i => i), None);

        Assert.Equal([2, 2, 1], Server.Writes.Select(w => w.Lines.Length));
    }

    [Fact]
    public async Task WriteAsync_SameTimestampTwiceInOneBatch_SendsOnlyTheLaterReading()
    {
        using var store = CreateStore();

        await store.WriteAsync([new Reading(Channel, T0, 1), new Reading(Channel, T0.AddSeconds(1), 5), new Reading(Channel, T0, 2)], None);

        Assert.Equal(
            [InfluxLineProtocol.ToLine(new Reading(Channel, T0.AddSeconds(1), 5)), InfluxLineProtocol.ToLine(new Reading(Channel, T0, 2))],
            Assert.Single(Server.Writes).Lines);
    }

    [Fact]
    public async Task WriteAsync_ServerUnavailableOnce_RetriesAndSucceeds()
    {
        using var store = CreateStore(o => o.RetryCount = 2);
        Server.WriteStatuses.Enqueue(503);

        await store.WriteAsync([new Reading(Channel, T0, 1)], None);

        Assert.Equal(2, Server.Writes.Count);
    }

    [Fact]
    public async Task WriteAsync_ServerStaysUnavailable_ThrowsAfterRetryCountRetries()
    {
        using var store = CreateStore(o => o.RetryCount = 2);
        foreach (var _ in Enumerable.Range(0, 5))
        {
            Server.WriteStatuses.Enqueue(503);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync([new Reading(Channel, T0, 1)], None));

        Assert.Equal(3, Server.Writes.Count);
    }

    [Fact]
    public async Task WriteAsync_BadRequest_ThrowsWithoutRetrying()
    {
        using var store = CreateStore(o => o.RetryCount = 3);
        Server.WriteStatuses.Enqueue(400);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync([new Reading(Channel, T0, 1)], None));

        Assert.Single(Server.Writes);
    }

    [Fact]
    public async Task WriteAsync_MalformedChannel_ThrowsArgumentExceptionAndSendsNothing()
    {
        using var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync([new Reading(Channel, T0, 1), new Reading("Bad Channel", T0, 1)], None));

        Assert.Empty(Server.Writes);
    }

    [Fact]
    public async Task WriteAsync_RetriedFailure_LogsUrlOrgAndBucketButNeverTheToken()
    {
        using var store = CreateStore(o => o.RetryCount = 1);
        Server.WriteStatuses.Enqueue(503);
        Server.WriteStatuses.Enqueue(503);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync([new Reading(Channel, T0, 1)], None));

        Assert.Contains(_logger.Entries, e => e.Contains(Server.Url, StringComparison.Ordinal) && e.Contains("monitor", StringComparison.Ordinal));
        Assert.Contains(_logger.Entries, e => e.Contains("retrying", StringComparison.Ordinal));
        Assert.All(_logger.Entries, e => Assert.DoesNotContain(Token, e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueryAsync_ServerAnswer_MapsEachResultIntoItsBucket()
    {
        using var store = CreateStore();
        var second = T0.AddSeconds(10);
        Server.QueryResponse = Csv(
            Table("min", "double", (T0, "0"), (second, "")),
            Table("max", "double", (T0, "9"), (second, "")),
            Table("mean", "double", (T0, "4.5"), (second, "")),
            Table("last", "double", (T0, "9"), (second, "")),
            Table("count", "long", (T0, "10"), (second, "0")));

        var result = await store.QueryAsync(Channel, T0, T0.AddSeconds(20), 2, None);

        Assert.Equal(TimeSpan.FromSeconds(10), result.BucketWidth);
        Assert.Equal([new HistoryBucket(T0, 0, 9, 4.5, 9, 10), new HistoryBucket(second, null, null, null, null, 0)], result.Buckets);
        Assert.Contains("range(start: 2026-03-02T00:00:00.000Z, stop: 2026-03-02T00:00:20.000Z)", Assert.Single(Server.Queries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_NoSeries_ReturnsEveryBucketEmpty()
    {
        using var store = CreateStore();

        var result = await store.QueryAsync(Channel, T0, T0.AddMinutes(1), 6, None);

        Assert.Equal(6, result.Buckets.Count);
        Assert.All(result.Buckets, b => Assert.Equal(new HistoryBucket(b.Start, null, null, null, null, 0), b));
    }

    [Fact]
    public async Task QueryAsync_HostileChannel_ThrowsArgumentExceptionAndQueriesNothing()
    {
        using var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync("a.b\") |> drop(columns: [\"x\"])//", T0, T0.AddMinutes(1), 6, None));

        Assert.Empty(Server.Queries);
    }

    [Fact]
    public async Task LatestAsync_ServerAnswer_ReturnsValueAndQualityOfEachChannel()
    {
        using var store = CreateStore();
        Server.QueryResponse = Csv(
            Table("_result", "double", "value", "pmt.1.hv", (T0.AddSeconds(3), "1500.5")),
            Table("_result", "long", "quality", "pmt.1.hv", (T0.AddSeconds(3), "2")),
            Table("_result", "double", "value", "cryo.ln2.level", (T0, "80")));

        var latest = await store.LatestAsync(None);

        Assert.Equal([new Reading("cryo.ln2.level", T0, 80), new Reading("pmt.1.hv", T0.AddSeconds(3), 1500.5, Quality.Bad)], latest);
    }

    [Fact]
    public async Task PingAsync_ServerAnswers_Completes()
    {
        using var store = CreateStore();

        await store.PingAsync(None);

        Assert.Empty(Server.Writes);
    }

    [Fact]
    public async Task PingAsync_NothingListening_Throws()
    {
        using var store = CreateStore(o => o.Url = "http://127.0.0.1:" + ClosedPort().ToString(CultureInfo.InvariantCulture));

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.PingAsync(None));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Csv(params string[] tables) => string.Join("\r\n", tables);

    private static string Table(string result, string type, params (DateTimeOffset Start, string Value)[] rows) =>
        Table(result, type, "value", Channel, rows);

    private static string Table(string result, string type, string field, string channel, params (DateTimeOffset Time, string Value)[] rows)
    {
        static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var csv = new StringBuilder()
            .Append("#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,").Append(type).Append(",string,string,string\r\n")
            .Append("#group,false,false,true,true,false,false,true,true,true\r\n")
            .Append("#default,").Append(result).Append(",,,,,,,,\r\n")
            .Append(",result,table,_start,_stop,_time,_value,_field,_measurement,channel\r\n");
        foreach (var (time, value) in rows)
        {
            csv.Append(",,0,").Append(Time(T0)).Append(',').Append(Time(T0.AddDays(1))).Append(',').Append(Time(time)).Append(',')
                .Append(value).Append(',').Append(field).Append(",readings,").Append(channel).Append("\r\n");
        }

        return csv.ToString();
    }

    private InfluxTimeSeriesStore CreateStore(Action<InfluxOptions>? configure = null)
    {
        var options = new InfluxOptions { Url = Server.Url, Org = "clovers", Bucket = "monitor", Token = Token, FlushIntervalMilliseconds = 5_000 };
        configure?.Invoke(options);
        return new InfluxTimeSeriesStore(options, TimeProvider.System, _logger);
    }

    private sealed class RecordingLogger : ILogger<InfluxTimeSeriesStore>
    {
        private readonly List<string> _entries = [];

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add(formatter(state, exception) + " " + exception);
            }
        }
    }
}
