using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Load;

/// <summary>
/// N agents × M channels at R Hz through the broker, K SignalR clients subscribed to everything.
/// Measures publish → client latency (p50, p99, max) from the readings' own stamps, loss (readings
/// published but not stored; channels whose last value never reached a client), the Server's
/// resident memory over time from /proc and its growth. <c>soak</c> runs the same for minutes and
/// prints a line a minute.
/// </summary>
public static class ScaleBenchmark
{
    private const double FinalValue = -1;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static Task<int> RunAsync(RepositoryLayout repository, LoadArguments arguments) =>
        RunAsync(repository, arguments, TimeSpan.FromSeconds(arguments.Seconds), reportEveryMinute: false);

    public static Task<int> SoakAsync(RepositoryLayout repository, LoadArguments arguments) =>
        RunAsync(repository, arguments, TimeSpan.FromMinutes(arguments.Minutes), reportEveryMinute: true);

    private static async Task<int> RunAsync(RepositoryLayout repository, LoadArguments arguments, TimeSpan duration, bool reportEveryMinute)
    {
        string[] extra = arguments.PushIntervalMilliseconds > 0
            ? ["--Live:PushIntervalMilliseconds", arguments.PushIntervalMilliseconds.ToString(CultureInfo.InvariantCulture)]
            : [];
        await using var server = ServerProcess.Start(repository, arguments.Configuration, demo: false, extra);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await using var rss = new ResidentMemorySampler(server.ProcessId, TimeSpan.FromSeconds(1));
        var nominalRate = arguments.Agents * arguments.ChannelsPerAgent * arguments.Hertz;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(reportEveryMinute ? "soak" : "scale")}: {arguments.Agents} agents x {arguments.ChannelsPerAgent} channels at {arguments.Hertz} Hz = {nominalRate:N0} readings/s nominal, {arguments.Clients} SignalR clients ({Math.Min(arguments.Clients, arguments.MeasuringClients)} parsing), {duration.TotalSeconds:N0} s, push interval {(arguments.PushIntervalMilliseconds > 0 ? arguments.PushIntervalMilliseconds + " ms" : "default")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  machine: {Environment.ProcessorCount} cores, load average before start {LoadAverage()}; server process id {server.ProcessId}"));

        var publishers = new List<LoadPublisher>();
        for (var i = 0; i < arguments.Agents; i++)
        {
            publishers.Add(await LoadPublisher.ConnectAsync(server.MqttPort, string.Create(CultureInfo.InvariantCulture, $"scale-{i}"), arguments.ChannelsPerAgent));
        }

        var latency = new LatencyHistogram();
        var measuring = new StrongBox();
        var clients = new List<BrowserProbe>();
        var silent = new List<SilentBrowser>();
        for (var i = 0; i < arguments.Clients; i++)
        {
            if (i < arguments.MeasuringClients)
            {
                clients.Add(await BrowserProbe.ConnectAsync(server.HttpPort, latency, measuring));
            }
            else
            {
                silent.Add(await SilentBrowser.ConnectAsync(server.HttpPort));
            }
        }

        var channelCount = arguments.Agents * arguments.ChannelsPerAgent;
        await Task.Delay(1000);
        var before = await server.DiagnosticsAsync();
        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        using var stopping = new CancellationTokenSource(duration);
        var minuteReports = reportEveryMinute ? ReportEveryMinuteAsync(server, rss, latency, clock, stopping.Token) : Task.CompletedTask;
        var warmUp = Task.Delay(WarmUp, stopping.Token).ContinueWith(_ => measuring.Value = true, TaskScheduler.Default);
        var sent = await Task.WhenAll(publishers.Select(p => PublishAtRateAsync(p, arguments.Hertz, stopping.Token)));
        await warmUp;
        await minuteReports;
        var publishSeconds = clock.Elapsed.TotalSeconds;

        // The last value of every channel must reach every client, however coalesced.
        foreach (var publisher in publishers)
        {
            await publisher.PublishReadingsAsync(publisher.NowBatch(FinalValue));
        }

        var published = sent.Sum() + channelCount;
        measuring.Value = false;
        long stored = 0;
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(120))
        {
            stored = (await server.DiagnosticsAsync()).ReadingsStored - before.ReadingsStored;
            if (stored >= published)
            {
                break;
            }

            await Task.Delay(100);
        }

        var storedAfterSeconds = clock.Elapsed.TotalSeconds;
        while (drain.Elapsed < TimeSpan.FromSeconds(130) && clients.Any(c => c.FinalValuesSeen(FinalValue) < channelCount))
        {
            await Task.Delay(100);
        }

        var cpu = (server.CpuTime() - cpuBefore).TotalSeconds / storedAfterSeconds;
        var diagnostics = await server.Http.GetFromJsonAsync(DiagnosticsRoutes.Diagnostics, DiagnosticsJsonContext.Default.ServerDiagnostics);
        var clientLoss = clients.Sum(c => channelCount - c.FinalValuesSeen(FinalValue));
        var after = await server.DiagnosticsAsync();
        var samples = rss.Samples;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  published {published:N0} readings in {publishSeconds:F1} s = {published / publishSeconds:N0} readings/s ({sent.Sum() / (double)channelCount / publishSeconds:F1} Hz achieved per channel)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  stored    {stored:N0}, all stored {storedAfterSeconds - publishSeconds:F1} s after publishing ended; loss {published - stored:N0}; accepted {after.ReadingsAccepted - before.ReadingsAccepted:N0}; rejected messages {after.MessagesRejected - before.MessagesRejected}"));
        if (arguments.Clients > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  clients   {latency.Count:N0} channel updates measured; publish→client p50 {latency.Percentile(0.5):F0} ms, p99 {latency.Percentile(0.99):F0} ms, max {latency.Max():F0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"            measured by {clients.Count} parsing clients; final values missing: {clientLoss:N0} of {channelCount * clients.Count:N0} (client × channel)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"            {silent.Count} receive-only clients got {(silent.Count == 0 ? 0 : silent.Min(b => b.BytesReceived)) / 1048576.0:F1}–{(silent.Count == 0 ? 0 : silent.Max(b => b.BytesReceived)) / 1048576.0:F1} MiB each; hub connections seen by the server {diagnostics?.Connections.HubConnections}"));
        }

        var cpuSeconds = (server.CpuTime() - cpuBefore).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  store write latency p50 {after.StoreWriteLatency.P50Ms:F1} ms, p99 {after.StoreWriteLatency.P99Ms:F1} ms; server CPU {cpu * 100:F0} % of one core, {cpuSeconds / Math.Max(1, after.ReadingsAccepted - before.ReadingsAccepted) * 1e6:F1} µs per accepted reading; load average now {LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server RSS first {(samples.Count > 0 ? samples[0].Megabytes : double.NaN):F0} MiB, peak {rss.PeakMegabytes:F0} MiB, last {(samples.Count > 0 ? samples[^1].Megabytes : double.NaN):F0} MiB; growth over the second half {rss.GrowthMegabytesPerMinute():F2} MiB/min"));
        if (diagnostics is not null)
        {
            var p = diagnostics.Process;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  GC heap {p.GcHeapBytes / 1048576.0:F0} MiB, allocation {p.AllocatedBytesPerSecond / 1048576.0:F1} MiB/s, collections gen0 {p.Gen0Collections} gen1 {p.Gen1Collections} gen2 {p.Gen2Collections}"));
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        foreach (var browser in silent)
        {
            await browser.DisposeAsync();
        }

        foreach (var publisher in publishers)
        {
            await publisher.DisposeAsync();
        }

        return published == stored && clientLoss == 0 ? 0 : 1;
    }

    private static async Task<long> PublishAtRateAsync(LoadPublisher publisher, double hertz, CancellationToken cancellationToken)
    {
        long sent = 0;
        var value = 0.0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / hertz));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await publisher.PublishReadingsAsync(publisher.NowBatch(value++));
                sent += publisher.Channels.Count;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return sent;
    }

    private static async Task ReportEveryMinuteAsync(ServerProcess server, ResidentMemorySampler rss, LatencyHistogram latency, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var d = await server.Http.GetFromJsonAsync(DiagnosticsRoutes.Diagnostics, DiagnosticsJsonContext.Default.ServerDiagnostics, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {clock.Elapsed.TotalMinutes:F0} min: RSS {ResidentMemorySampler.ReadMegabytes(server.ProcessId):F0} MiB, GC heap {d!.Process.GcHeapBytes / 1048576.0:F0} MiB, gen2 {d.Process.Gen2Collections}, {d.Rates.ReadingsPerSecond:N0} readings/s, {d.Rates.StoredPerSecond:N0} stored/s, p99 so far {latency.Percentile(0.99):F0} ms, load average {LoadAverage()}"));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private sealed class StrongBox
    {
        private volatile bool _value;

        public bool Value
        {
            get => _value;
            set => _value = value;
        }
    }

    /// <summary>One browser: a hub connection subscribed to every channel, recording latencies and last values.</summary>
    private sealed class BrowserProbe : IAsyncDisposable
    {
        private readonly HubConnection _hub;
        private readonly Dictionary<string, double> _last = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        private BrowserProbe(HubConnection hub) => _hub = hub;

        public static async Task<BrowserProbe> ConnectAsync(int httpPort, LatencyHistogram latency, StrongBox measuring)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}{MonitorHubContract.Path}"))
                .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
                .Build();
            var probe = new BrowserProbe(hub);
            hub.On<IReadOnlyList<ChannelUpdate>>(nameof(IMonitorClient.ChannelsUpdated), updates =>
            {
                var now = DateTimeOffset.UtcNow;
                var record = measuring.Value;
                lock (probe._gate)
                {
                    foreach (var update in updates)
                    {
                        probe._last[update.Id] = update.Value;
                        if (record)
                        {
                            latency.Record((now - update.Timestamp).TotalMilliseconds);
                        }
                    }
                }
            });
            await hub.StartAsync();
            await hub.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null);
            return probe;
        }

        public int FinalValuesSeen(double finalValue)
        {
            lock (_gate)
            {
                return _last.Values.Count(v => v == finalValue);
            }
        }

        public ValueTask DisposeAsync() => _hub.DisposeAsync();
    }
}
