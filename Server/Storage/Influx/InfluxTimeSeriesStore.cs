using System.Globalization;
using System.Text;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Core.Flux.Domain;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage.Influx;

/// <summary>
/// The time-series store on an InfluxDB 2 server: one point per reading (<see cref="InfluxSchema"/>),
/// written through one client. A write returns once the server has acknowledged every point and
/// throws when it still fails after <see cref="InfluxOptions.RetryCount"/> retries, so the
/// <see cref="StoreWriter"/> keeps the batch. Points are keyed by channel and millisecond, so a
/// rewrite replaces the earlier value. Queries are Flux (<see cref="FluxQueries"/>) cut by the same
/// <see cref="BucketPlan"/> as SQLite, so both stores answer with the same buckets.
/// </summary>
public sealed partial class InfluxTimeSeriesStore : ITimeSeriesStore, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(5);

    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<InfluxTimeSeriesStore> _logger;
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _writeApi;
    private readonly QueryApi _queryApi;

    public InfluxTimeSeriesStore(IOptions<StorageOptions> options, TimeProvider time, ILogger<InfluxTimeSeriesStore> logger)
        : this(options.Value.Influx, time, logger)
    {
    }

    internal InfluxTimeSeriesStore(InfluxOptions options, TimeProvider time, ILogger<InfluxTimeSeriesStore> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _client = new InfluxDBClient(InfluxDBClientOptions.Builder.CreateNew()
            .Url(options.Url)
            .AuthenticateToken(options.Token)
            .Org(options.Org)
            .Bucket(options.Bucket)
            .Build());
        _writeApi = _client.GetWriteApiAsync();
        _queryApi = _client.GetQueryApi();
        LogStore(WithoutUserInfo(options.Url), options.Org, options.Bucket);
    }

    public async Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return;
        }

        var lines = ToLines(readings);
        var batchSize = Math.Max(1, _options.BatchSize);
        for (var offset = 0; offset < lines.Count; offset += batchSize)
        {
            var chunk = lines.GetRange(offset, Math.Min(batchSize, lines.Count - offset));
            await WriteWithRetryAsync(chunk, cancellationToken);
        }
    }

    public async Task<HistoryResult> QueryAsync(
        string channel,
        DateTimeOffset from,
        DateTimeOffset to,
        int maxBuckets,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(channel))
        {
            throw new ArgumentException("A channel id is required.", nameof(channel));
        }

        FluxQueries.RequireChannelId(channel);
        if (from >= to)
        {
            throw new ArgumentException($"'from' ({from:O}) must be earlier than 'to' ({to:O}).", nameof(from));
        }

        if (maxBuckets is < 1 or > BucketPlan.MaxBucketsLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxBuckets), maxBuckets, $"The number of buckets must be between 1 and {BucketPlan.MaxBucketsLimit}.");
        }

        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = Math.Max(to.ToUnixTimeMilliseconds(), fromMs + 1);
        var plan = BucketPlan.Create(fromMs, toMs, maxBuckets);
        if (plan.StartMs < FluxQueries.EarliestMs || plan.EndMs > FluxQueries.LatestMs)
        {
            throw new ArgumentException("InfluxDB holds times from 1677-09-21 to 2262-04-11 only; ask for a range inside them.", nameof(from));
        }

        var buckets = new HistoryBucket[plan.BucketCount];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new HistoryBucket(
                DateTimeOffset.FromUnixTimeMilliseconds(plan.StartMs + (i * plan.WidthMs)), null, null, null, null, 0);
        }

        var flux = FluxQueries.Range(_options.Bucket, channel, plan.StartMs, plan.EndMs, plan.WidthMs);
        var tables = await _queryApi.QueryAsync(flux, _options.Org, cancellationToken);
        foreach (var record in tables.SelectMany(t => t.Records))
        {
            Apply(buckets, plan, record);
        }

        return new HistoryResult(TimeSpan.FromMilliseconds(plan.WidthMs), buckets);
    }

    public async Task<IReadOnlyList<Reading>> LatestAsync(CancellationToken cancellationToken)
    {
        var tables = await _queryApi.QueryAsync(FluxQueries.Latest(_options.Bucket), _options.Org, cancellationToken);
        var values = new Dictionary<string, (long TimeMs, double Value)>(StringComparer.Ordinal);
        var qualities = new Dictionary<string, (long TimeMs, long Quality)>(StringComparer.Ordinal);
        foreach (var record in tables.SelectMany(t => t.Records))
        {
            if (record.GetValueByKey(InfluxSchema.ChannelTag) is not string channel || TimeMs(record) is not { } timeMs || record.GetValue() is not { } value)
            {
                continue;
            }

            var field = record.GetField();
            if (field == InfluxSchema.ValueField)
            {
                values[channel] = (timeMs, Convert.ToDouble(value, CultureInfo.InvariantCulture));
            }
            else if (field == InfluxSchema.QualityField)
            {
                qualities[channel] = (timeMs, Convert.ToInt64(value, CultureInfo.InvariantCulture));
            }
        }

        return values
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new Reading(
                v.Key,
                DateTimeOffset.FromUnixTimeMilliseconds(v.Value.TimeMs),
                v.Value.Value,
                qualities.TryGetValue(v.Key, out var quality) && quality.TimeMs == v.Value.TimeMs ? ToQuality(quality.Quality) : Quality.Good))
            .ToList();
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        if (!await _client.PingAsync().WaitAsync(cancellationToken))
        {
            throw new InvalidOperationException("The InfluxDB server does not answer its ping.");
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The lines of a batch, one per channel and millisecond: of readings sharing both, the later in
    /// the batch wins, as it would had they come in two writes.
    /// </summary>
    private static List<string> ToLines(IReadOnlyList<Reading> readings)
    {
        var newest = new Dictionary<(string Channel, long TimeMs), int>();
        for (var i = 0; i < readings.Count; i++)
        {
            var reading = readings[i] ?? throw new ArgumentException("A batch cannot hold a null reading.", nameof(readings));
            if (!ProtocolRules.IsValidChannelId(reading.Channel))
            {
                throw new ArgumentException(
                    $"Reading {i} has no well-formed channel id; InfluxDB stores only ids such as 'cryo.ln2.level'.", nameof(readings));
            }

            if (!double.IsFinite(reading.Value))
            {
                throw new ArgumentException(
                    $"Reading of '{reading.Channel}' at {reading.Timestamp:O} is not a finite number.", nameof(readings));
            }

            newest[(reading.Channel, reading.Timestamp.ToUnixTimeMilliseconds())] = i;
        }

        var lines = new List<string>(newest.Count);
        var line = new StringBuilder(96);
        foreach (var index in newest.Values.Order())
        {
            line.Clear();
            InfluxLineProtocol.AppendLine(line, readings[index]);
            lines.Add(line.ToString());
        }

        return lines;
    }

    private static void Apply(HistoryBucket[] buckets, BucketPlan plan, FluxRecord record)
    {
        if (TimeMs(record) is not { } startMs || record.GetValue() is not { } value)
        {
            return;
        }

        var index = (startMs - plan.StartMs) / plan.WidthMs;
        if (startMs < plan.StartMs || index >= buckets.Length)
        {
            return;
        }

        var bucket = buckets[index];
        buckets[index] = (record.GetValueByKey("result") as string) switch
        {
            FluxQueries.MinResult => bucket with { Min = Convert.ToDouble(value, CultureInfo.InvariantCulture) },
            FluxQueries.MaxResult => bucket with { Max = Convert.ToDouble(value, CultureInfo.InvariantCulture) },
            FluxQueries.MeanResult => bucket with { Mean = Convert.ToDouble(value, CultureInfo.InvariantCulture) },
            FluxQueries.LastResult => bucket with { Last = Convert.ToDouble(value, CultureInfo.InvariantCulture) },
            FluxQueries.CountResult => bucket with { Count = Convert.ToInt64(value, CultureInfo.InvariantCulture) },
            _ => bucket,
        };
    }

    private static long? TimeMs(FluxRecord record) =>
        record.GetTimeInDateTime() is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds() : null;

    /// <summary>The URL to log: credentials in it, if any, left out.</summary>
    private static string WithoutUserInfo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : "(malformed URL)";

    private static Quality ToQuality(long quality) =>
        Enum.IsDefined((Quality)quality) ? (Quality)quality : Quality.Bad;

    /// <summary>Statuses that the same request will meet again however often it is sent.</summary>
    private static bool IsPermanent(Exception exception) =>
        exception is BadRequestException or UnauthorizedException or ForbiddenException or NotFoundException
            or RequestEntityTooLargeException or UnprocessableEntityException;

    private async Task WriteWithRetryAsync(List<string> lines, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.FlushIntervalMilliseconds), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await _writeApi.WriteRecordsAsync(lines, WritePrecision.Ms, _options.Bucket, _options.Org, linked.Token);
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && !IsPermanent(exception) && attempt < _options.RetryCount)
            {
                LogWriteRetry(exception, lines.Count, attempt + 1, delay);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    $"Writing {lines.Count} points to InfluxDB bucket '{_options.Bucket}' failed after {attempt + 1} attempts.", exception);
            }

            await Task.Delay(delay, _time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetryDelay.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Time-series store: InfluxDB at {Url}, organization {Org}, bucket {Bucket}")]
    private partial void LogStore(string url, string org, string bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} points to InfluxDB failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogWriteRetry(Exception exception, int count, int attempt, TimeSpan delay);
}
