using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Xml;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Api;

/// <summary>
/// <c>GET /api/history.csv</c> and <c>GET /api/history.json</c>: several channels side by side,
/// one row per step over a range of up to ten years. Everything is checked before the first byte
/// goes out; then the range is read from the store a chunk of buckets at a time and each chunk is
/// written and flushed, so memory stays bounded whatever the range.
/// </summary>
public static class ExportEndpoints
{
    public const int MaxChannels = 50;

    /// <summary>Rows one request may ask for; a finer step over a longer range earns a 400.</summary>
    public const long MaxRows = 1_000_000;

    /// <summary>Without a step, the finest step that keeps the range within this many rows.</summary>
    public const int DefaultMaxRows = 10_000;

    /// <summary>Most buckets asked of the store in one query.</summary>
    public const int MaxBucketsPerQuery = 5_000;

    /// <summary>The step actually used, in seconds: the requested one rounded up to a width the store serves.</summary>
    public const string StepHeader = "X-Clovers-Step-Seconds";

    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string JsonContentType = "application/json; charset=utf-8";

    // Buckets held at once across all channels of a chunk: with many channels, chunks get shorter.
    private const int BucketsPerChunkBudget = 50_000;

    private const string StepHint = "an ISO-8601 duration such as PT10S or a number of seconds such as 60";

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(string.Empty).WithTags("Export");

        api.MapGet(ApiRoutes.ExportCsv, (string? channels, string? from, string? to, string? step, LiveStateStore live, ITimeSeriesStore store, TimeProvider time, CancellationToken cancellationToken) =>
                PlanAsync(ExportFormat.Csv, channels, from, to, step, live, store, time, cancellationToken))
            .WithSummary(
                "Channels (comma-separated ids, 1–50) over [from, to) as CSV: column 'time' (bucket start, ISO-8601 UTC), then per channel "
                + "'<id>' (mean), '<id>.min' and '<id>.max'; one row per step, empty cells for a gap. step: ISO-8601 duration or seconds, "
                + "rounded up to a width the store serves (header X-Clovers-Step-Seconds); default keeps the range within 10,000 rows; "
                + "at most 1,000,000 rows.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(ApiRoutes.ExportJson, (string? channels, string? from, string? to, string? step, LiveStateStore live, ITimeSeriesStore store, TimeProvider time, CancellationToken cancellationToken) =>
                PlanAsync(ExportFormat.Json, channels, from, to, step, live, store, time, cancellationToken))
            .WithSummary(
                "The rows of /api/history.csv as one streamed JSON document: from and to (the span the rows cover), stepSeconds, channels, and rows of "
                + "{ time, values: { <id>: { min, max, mean, count } } }; a gap has count 0 and null statistics.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>
    /// Parses a step: whole seconds (<c>60</c>) or an ISO-8601 duration (<c>PT10S</c>, <c>P1D</c>).
    /// Null when absent; records an error and returns null when it is not a positive duration.
    /// </summary>
    public static TimeSpan? ParseStep(string? text, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        TimeSpan? step = null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds <= LiveEndpoints.MaxHistoryRange.TotalSeconds)
            {
                step = TimeSpan.FromSeconds(seconds);
            }
        }
        else if (text.StartsWith('P'))
        {
            try
            {
                step = XmlConvert.ToTimeSpan(text);
            }
            catch (Exception exception) when (exception is FormatException or OverflowException)
            {
            }
        }

        if (step is { } value && value > TimeSpan.Zero && value <= LiveEndpoints.MaxHistoryRange)
        {
            return value;
        }

        errors["step"] = [$"'{Clip(text)}' is not a step from 1 second to {LiveEndpoints.MaxHistoryRange.TotalDays:0} days: use {StepHint}."];
        return null;
    }

    /// <summary>The smallest width the store buckets by that is at least <paramref name="step"/>.</summary>
    public static TimeSpan RoundUpToNiceWidth(TimeSpan step)
    {
        var wantedMs = (long)Math.Ceiling(step.TotalMilliseconds);
        foreach (var width in BucketPlan.NiceWidthsMs)
        {
            if (width >= wantedMs)
            {
                return TimeSpan.FromMilliseconds(width);
            }
        }

        return TimeSpan.FromMilliseconds(BucketPlan.NiceWidthsMs[^1]);
    }

    private static async Task<IResult> PlanAsync(
        ExportFormat format,
        string? channels,
        string? from,
        string? to,
        string? step,
        LiveStateStore live,
        ITimeSeriesStore store,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var ids = ParseChannels(channels, errors);
        var toTime = QueryParsing.ParseTime(to, "to", errors) ?? time.GetUtcNow();
        var fromTime = QueryParsing.ParseTime(from, "from", errors) ?? toTime - LiveEndpoints.DefaultHistoryRange;
        var requestedStep = ParseStep(step, errors);
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            if (fromTime >= toTime)
            {
                errors["from"] = ["must be earlier than 'to'."];
            }
            else if (toTime - fromTime > LiveEndpoints.MaxHistoryRange)
            {
                errors["from"] = [$"the range may span at most {LiveEndpoints.MaxHistoryRange.TotalDays:0} days."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid export query");
        }

        var unknown = ids.Where(id => live.Find(id) is null).ToList();
        if (unknown.Count > 0)
        {
            return TypedResults.Problem(
                $"No channel {string.Join(", ", unknown.Select(id => $"'{id}'"))} has been declared by any agent.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown channel");
        }

        var fromMs = fromTime.ToUnixTimeMilliseconds();
        var toMs = toTime.ToUnixTimeMilliseconds();
        long widthMs;
        try
        {
            widthMs = requestedStep is { } wanted
                ? (long)RoundUpToNiceWidth(wanted).TotalMilliseconds
                : BucketPlan.Create(fromMs, toMs, DefaultMaxRows).WidthMs;
            var rows = (BucketPlan.CeilingTo(toMs, widthMs) - BucketPlan.FloorTo(fromMs, widthMs)) / widthMs;
            if (rows > MaxRows)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]>(StringComparer.Ordinal)
                    {
                        ["step"] = [$"a step of {widthMs / 1000} s gives {rows:N0} rows over this range; at most {MaxRows:N0} are allowed: use a longer step or a shorter range."],
                    },
                    title: "Invalid export query");
            }

            widthMs = await HonouredWidthAsync(store, ids[0], fromMs, widthMs, cancellationToken);
        }
        catch (ArgumentException)
        {
            // Only a range at the very edge of representable time cannot be cut into aligned buckets.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>(StringComparer.Ordinal) { ["from"] = ["the range lies outside the times the store can bucket."] },
                title: "Invalid export query");
        }

        var plan = new ExportPlan(ids, fromTime, toTime, BucketPlan.FloorTo(fromMs, widthMs), BucketPlan.CeilingTo(toMs, widthMs), widthMs);
        return new HistoryExport(format, plan, store);
    }

    private static List<string> ParseChannels(string? text, Dictionary<string, string[]> errors)
    {
        var ids = (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (ids.Count == 0)
        {
            errors["channels"] = ["name at least one channel: channels=a,b."];
            return ids;
        }

        var problems = new List<string>();
        if (ids.Count > MaxChannels)
        {
            problems.Add($"at most {MaxChannels} channels per export; {ids.Count} were given.");
        }

        foreach (var id in ids.Where(id => !ProtocolRules.IsValidChannelId(id)).Take(5))
        {
            problems.Add($"'{Clip(id)}' is not a channel id (pattern {ProtocolRules.ChannelIdPattern}).");
        }

        foreach (var id in ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).Take(5))
        {
            problems.Add($"'{Clip(id)}' is named more than once.");
        }

        if (problems.Count > 0)
        {
            errors["channels"] = [.. problems];
        }

        return ids;
    }

    /// <summary>
    /// The store may serve a range past raw retention only from rollups, in coarser buckets than
    /// asked. One single-bucket query at the start of the range (the oldest, coarsest part) shows
    /// the width it really uses; every later part of the range is served at least as finely.
    /// </summary>
    private static async Task<long> HonouredWidthAsync(
        ITimeSeriesStore store, string channel, long fromMs, long widthMs, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var start = BucketPlan.FloorTo(fromMs, widthMs);
            var probe = await store.QueryAsync(
                channel, DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(start + widthMs), 1, cancellationToken);
            var honoured = (long)probe.BucketWidth.TotalMilliseconds;
            if (honoured <= widthMs)
            {
                return widthMs;
            }

            widthMs = honoured;
        }

        return widthMs;
    }

    private static string Clip(string text) => text.Length <= 70 ? text : text[..70] + "…";

    private enum ExportFormat
    {
        Csv,
        Json,
    }

    /// <summary>What one export writes: rows every <see cref="StepMs"/> over [<see cref="StartMs"/>, <see cref="EndMs"/>).</summary>
    private sealed record ExportPlan(
        IReadOnlyList<string> Channels, DateTimeOffset RequestedFrom, DateTimeOffset RequestedTo, long StartMs, long EndMs, long StepMs)
    {
        public long RowCount => (EndMs - StartMs) / StepMs;

        public int RowsPerChunk => Math.Clamp(BucketsPerChunkBudget / Channels.Count, 1, MaxBucketsPerQuery);

        public string FileName(string extension) =>
            FormattableString.Invariant($"clovers-history-{RequestedFrom.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{RequestedTo.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{extension}");
    }

    /// <summary>Every channel's buckets for the rows [<see cref="StartMs"/>, StartMs + Rows × step).</summary>
    private sealed record ExportChunk(long StartMs, int Rows, IReadOnlyList<HistoryResult> Results)
    {
        /// <summary>The bucket of one channel that holds a row's time; null when the store returned none there.</summary>
        public HistoryBucket? BucketAt(int channel, long rowMs)
        {
            var result = Results[channel];
            if (result.Buckets.Count == 0)
            {
                return null;
            }

            var firstMs = result.Buckets[0].Start.ToUnixTimeMilliseconds();
            var widthMs = (long)result.BucketWidth.TotalMilliseconds;
            if (rowMs < firstMs || widthMs <= 0)
            {
                return null;
            }

            var index = (rowMs - firstMs) / widthMs;
            return index < result.Buckets.Count ? result.Buckets[(int)index] : null;
        }
    }

    private sealed class HistoryExport(ExportFormat format, ExportPlan plan, ITimeSeriesStore store) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            var cancellationToken = httpContext.RequestAborted;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = format == ExportFormat.Csv ? CsvContentType : JsonContentType;
            response.Headers.ContentDisposition = $"attachment; filename=\"{plan.FileName(format == ExportFormat.Csv ? "csv" : "json")}\"";
            response.Headers[StepHeader] = (plan.StepMs / 1000).ToString(CultureInfo.InvariantCulture);
            response.Headers.CacheControl = "no-store";

            if (format == ExportFormat.Csv)
            {
                await WriteCsvAsync(response.BodyWriter, cancellationToken);
            }
            else
            {
                await WriteJsonAsync(response.BodyWriter, cancellationToken);
            }
        }

        private static void WriteText(PipeWriter body, string text) => Encoding.UTF8.GetBytes(text, body);

        private static void WriteNumber(PipeWriter body, double value)
        {
            var span = body.GetSpan(32);
            if (!value.TryFormat(span, out var written, "G10", CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"Could not format {value}.");
            }

            body.Advance(written);
        }

        private static void WriteTime(PipeWriter body, long unixMs)
        {
            var span = body.GetSpan(32);
            if (!UtcTime(unixMs).TryFormat(span, out var written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"Could not format the time {unixMs}.");
            }

            body.Advance(written);
        }

        private static DateTime UtcTime(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;

        private async Task WriteCsvAsync(PipeWriter body, CancellationToken cancellationToken)
        {
            WriteText(body, "time");
            foreach (var id in plan.Channels)
            {
                WriteText(body, $",{id},{id}.min,{id}.max");
            }

            WriteText(body, "\r\n");
            await body.FlushAsync(cancellationToken);

            await foreach (var chunk in ReadChunksAsync(cancellationToken))
            {
                for (var row = 0; row < chunk.Rows; row++)
                {
                    var rowMs = chunk.StartMs + (row * plan.StepMs);
                    WriteTime(body, rowMs);
                    for (var channel = 0; channel < plan.Channels.Count; channel++)
                    {
                        if (chunk.BucketAt(channel, rowMs) is { Count: > 0, Mean: { } mean, Min: { } min, Max: { } max })
                        {
                            WriteText(body, ",");
                            WriteNumber(body, mean);
                            WriteText(body, ",");
                            WriteNumber(body, min);
                            WriteText(body, ",");
                            WriteNumber(body, max);
                        }
                        else
                        {
                            WriteText(body, ",,,");
                        }
                    }

                    WriteText(body, "\r\n");
                }

                await body.FlushAsync(cancellationToken);
            }
        }

        private async Task WriteJsonAsync(PipeWriter body, CancellationToken cancellationToken)
        {
            await using var json = new Utf8JsonWriter(body);
            json.WriteStartObject();
            json.WriteString("from", UtcTime(plan.StartMs));
            json.WriteString("to", UtcTime(plan.EndMs));
            json.WriteNumber("stepSeconds", plan.StepMs / 1000);
            json.WriteStartArray("channels");
            foreach (var id in plan.Channels)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            json.WriteStartArray("rows");
            await json.FlushAsync(cancellationToken);
            await body.FlushAsync(cancellationToken);

            await foreach (var chunk in ReadChunksAsync(cancellationToken))
            {
                for (var row = 0; row < chunk.Rows; row++)
                {
                    var rowMs = chunk.StartMs + (row * plan.StepMs);
                    json.WriteStartObject();
                    json.WriteString("time", UtcTime(rowMs));
                    json.WriteStartObject("values");
                    for (var channel = 0; channel < plan.Channels.Count; channel++)
                    {
                        var bucket = chunk.BucketAt(channel, rowMs);
                        json.WriteStartObject(plan.Channels[channel]);
                        WriteNullableNumber(json, "min", bucket?.Min);
                        WriteNullableNumber(json, "max", bucket?.Max);
                        WriteNullableNumber(json, "mean", bucket?.Mean);
                        json.WriteNumber("count", bucket?.Count ?? 0);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                await json.FlushAsync(cancellationToken);
                await body.FlushAsync(cancellationToken);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
            await body.FlushAsync(cancellationToken);
        }

        private static void WriteNullableNumber(Utf8JsonWriter json, string name, double? value)
        {
            if (value is { } number)
            {
                json.WriteNumber(name, number);
            }
            else
            {
                json.WriteNull(name);
            }
        }

        /// <summary>
        /// The range a chunk at a time: each chunk is a whole number of steps starting on a step
        /// boundary, so the store cuts it into exactly the rows' buckets.
        /// </summary>
        private async IAsyncEnumerable<ExportChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var rowsPerChunk = plan.RowsPerChunk;
            for (var chunkStart = plan.StartMs; chunkStart < plan.EndMs; chunkStart += rowsPerChunk * plan.StepMs)
            {
                var rows = (int)Math.Min(rowsPerChunk, (plan.EndMs - chunkStart) / plan.StepMs);
                var from = DateTimeOffset.FromUnixTimeMilliseconds(chunkStart);
                var to = DateTimeOffset.FromUnixTimeMilliseconds(chunkStart + (rows * plan.StepMs));
                var results = new HistoryResult[plan.Channels.Count];
                for (var channel = 0; channel < results.Length; channel++)
                {
                    results[channel] = await store.QueryAsync(plan.Channels[channel], from, to, rows, cancellationToken);
                }

                yield return new ExportChunk(chunkStart, rows, results);
            }
        }
    }
}
