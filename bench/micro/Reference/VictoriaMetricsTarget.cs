using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clovers.Monitor.Server.Storage.Influx;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Benchmarks.Reference;

/// <summary>
/// Debian's VictoriaMetrics, started here on 127.0.0.1 with its data in a temporary folder. Written
/// with Influx line protocol on <c>/write</c> (stored as the series <c>readings_value{channel="…"}</c>),
/// queried with MetricsQL <c>aggr_over_time</c> (min, max, avg and count over each step) on
/// <c>/api/v1/query_range</c>. Its rollup result cache is off, so every repetition computes.
/// </summary>
internal sealed partial class VictoriaMetricsTarget : IReferenceTarget
{
    public const string Executable = "/usr/bin/victoria-metrics";
    public const string Package = "victoria-metrics";

    private const string Metric = InfluxSchema.Measurement + "_" + InfluxSchema.ValueField;

    private readonly ServerProcess _server;
    private readonly HttpClient _http;

    private VictoriaMetricsTarget(ServerProcess server, HttpClient http, string version)
    {
        _server = server;
        _http = http;
        Name = $"VictoriaMetrics {version} (Debian, HTTP)";
    }

    public string Name { get; }

    public static async Task<VictoriaMetricsTarget> StartAsync(CancellationToken cancellationToken)
    {
        var directory = ServerProcess.CreateDataDirectory("victoria-metrics");
        var port = ServerProcess.FreeLoopbackPort();
        string[] arguments =
        [
            $"-httpListenAddr=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            $"-storageDataPath={Path.Combine(directory, "data")}",
            "-retentionPeriod=100y",
            "-search.disableCache",
            "-search.latencyOffset=0s",
            "-loggerLevel=WARN",
        ];
        var server = ServerProcess.Start(Executable, arguments, directory);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            await server.WaitUntilReadyAsync(http, "health", TimeSpan.FromSeconds(30));
            var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken);
            // Debian's build reports an empty version; its package knows it.
            var version = VersionPattern().Match(metrics) is { Success: true } match ? match.Groups[1].Value : await ServerProcess.PackageVersionAsync(Package);
            return new VictoriaMetricsTarget(server, http, version);
        }
        catch
        {
            http.Dispose();
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken)
    {
        using var content = LineProtocol.Encode(readings);
        using var response = await _http.PostAsync(new Uri("write?precision=ms", UriKind.Relative), content, cancellationToken);
        await InfluxDbTarget.EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Samples become searchable within about a second; this asks for it at once.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("internal/force_flush", UriKind.Relative), cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await InfluxDbTarget.EnsureSuccessAsync(response, cancellationToken);
        }
    }

    public async Task<long> QueryAsync(string channel, DateTimeOffset from, DateTimeOffset to, TimeSpan width, CancellationToken cancellationToken)
    {
        // A point at t covers the window (t - step, t]; 1 ms before each bucket end makes that
        // [bucket start, bucket end) for millisecond timestamps, as InfluxQL and SQLite count.
        var step = (long)width.TotalSeconds;
        var selector = $"{Metric}{{{InfluxSchema.ChannelTag}=\"{channel.Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}[{step}s]";
        var query = $"aggr_over_time((\"min_over_time\",\"max_over_time\",\"avg_over_time\",\"count_over_time\"),{selector})";
        var start = Seconds(from + width - TimeSpan.FromMilliseconds(1));
        var end = Seconds(to - TimeSpan.FromMilliseconds(1));
        var uri = new Uri(
            string.Create(CultureInfo.InvariantCulture, $"api/v1/query_range?query={Uri.EscapeDataString(query)}&start={start}&end={end}&step={step}s"),
            UriKind.Relative);
        using var response = await _http.GetAsync(uri, cancellationToken);
        await InfluxDbTarget.EnsureSuccessAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        long counted = 0;
        foreach (var series in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            if (series.GetProperty("metric").TryGetProperty("rollup", out var rollup) && rollup.GetString() == "count_over_time")
            {
                foreach (var point in series.GetProperty("values").EnumerateArray())
                {
                    counted += long.Parse(point[1].GetString()!, CultureInfo.InvariantCulture);
                }
            }
        }

        return counted;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static string Seconds(DateTimeOffset time) =>
        (time.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    [GeneratedRegex("vm_app_version\\{version=\"([^\"]+)\"")]
    private static partial Regex VersionPattern();
}
