using System.Globalization;
using System.Text.Json;
using Clovers.Monitor.Server.Storage.Influx;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Benchmarks.Reference;

/// <summary>
/// Debian's InfluxDB 1.6.7, started here with every listener on 127.0.0.1 and its data in a temporary
/// folder. Written with <c>/write?precision=ms</c> line protocol, queried with InfluxQL over <c>/query</c>.
/// </summary>
internal sealed class InfluxDbTarget : IReferenceTarget
{
    public const string Executable = "/usr/bin/influxd";
    public const string Package = "influxdb";

    private const string Database = "bench";

    private readonly ServerProcess _server;
    private readonly HttpClient _http;

    private InfluxDbTarget(ServerProcess server, HttpClient http, string version)
    {
        _server = server;
        _http = http;
        Name = $"InfluxDB {version} (Debian, HTTP)";
    }

    public string Name { get; }

    public static async Task<InfluxDbTarget> StartAsync(CancellationToken cancellationToken)
    {
        var directory = ServerProcess.CreateDataDirectory("influxdb");
        var httpPort = ServerProcess.FreeLoopbackPort();
        var configPath = Path.Combine(directory, "influxdb.conf");
        await File.WriteAllTextAsync(configPath, Config(directory, httpPort, ServerProcess.FreeLoopbackPort(), ServerProcess.FreeLoopbackPort()), cancellationToken);
        var server = ServerProcess.Start(Executable, ["-config", configPath], directory);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            await server.WaitUntilReadyAsync(http, "ping", TimeSpan.FromSeconds(30));
            using var ping = await http.GetAsync(new Uri("ping", UriKind.Relative), cancellationToken);
            var version = ping.Headers.TryGetValues("X-Influxdb-Version", out var values) ? string.Join(",", values) : "1.x";
            using var create = new FormUrlEncodedContent([new("q", $"CREATE DATABASE {Database}")]);
            using var created = await http.PostAsync(new Uri("query", UriKind.Relative), create, cancellationToken);
            await EnsureSuccessAsync(created, cancellationToken);
            return new InfluxDbTarget(server, http, version);
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
        using var response = await _http.PostAsync(new Uri($"write?db={Database}&precision=ms", UriKind.Relative), content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    // Points are queryable as soon as /write has answered (they sit in the in-memory cache and WAL).
    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<long> QueryAsync(string channel, DateTimeOffset from, DateTimeOffset to, TimeSpan width, CancellationToken cancellationToken)
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT min({InfluxSchema.ValueField}),max({InfluxSchema.ValueField}),mean({InfluxSchema.ValueField}),count({InfluxSchema.ValueField}) " +
            $"FROM {InfluxSchema.Measurement} WHERE {InfluxSchema.ChannelTag}='{channel.Replace("'", "\\'", StringComparison.Ordinal)}' " +
            $"AND time >= {from.ToUnixTimeMilliseconds()}ms AND time < {to.ToUnixTimeMilliseconds()}ms " +
            $"GROUP BY time({(long)width.TotalMilliseconds}ms)");
        var uri = new Uri($"query?db={Database}&epoch=ms&q={Uri.EscapeDataString(query)}", UriKind.Relative);
        using var response = await _http.GetAsync(uri, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var result = json.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"InfluxQL error: {error.GetString()}");
        }

        long counted = 0;
        if (result.TryGetProperty("series", out var series))
        {
            foreach (var row in series[0].GetProperty("values").EnumerateArray())
            {
                // Columns: time, min, max, mean, count.
                counted += row[4].ValueKind == JsonValueKind.Number ? row[4].GetInt64() : 0;
            }
        }

        return counted;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>
    /// Every listener on 127.0.0.1, usage reporting and self-monitoring off, data in <paramref name="directory"/>.
    /// Debian's build reads <c>reporting-enabled</c> (default false); upstream reads <c>reporting-disabled</c>: both are set.
    /// </summary>
    private static string Config(string directory, int httpPort, int rpcPort, int ifqlPort)
    {
        string Path(string name) => System.IO.Path.Combine(directory, name).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $"""
            reporting-disabled = true
            reporting-enabled = false
            bind-address = "127.0.0.1:{rpcPort}"

            [meta]
              dir = "{Path("meta")}"

            [data]
              dir = "{Path("data")}"
              wal-dir = "{Path("wal")}"
              query-log-enabled = false

            [monitor]
              store-enabled = false

            [continuous_queries]
              enabled = false

            [subscriber]
              enabled = false

            [http]
              bind-address = "127.0.0.1:{httpPort}"
              log-enabled = false
              pprof-enabled = false

            [ifql]
              enabled = false
              bind-address = "127.0.0.1:{ifqlPort}"

            [logging]
              level = "warn"

            """);
    }
}
