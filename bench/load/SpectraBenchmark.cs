using System.Collections.Concurrent;
using System.Text.Json;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Load;

/// <summary>
/// DAQ histograms alongside slow control: two DAQs each publish their 16 histograms (8 NPE, 8 SPE
/// charge) of 200 bins once a second — 32 histograms a second — while an agent publishes 200
/// slow-control channels once a second, and ten SignalR clients are subscribed to spectra. Reports
/// the server's CPU (share of one core) and the publish → browser latency of spectra pushes.
/// </summary>
public static class SpectraBenchmark
{
    private const int Daqs = 2;
    private const int Bins = 200;
    private const int Clients = 10;
    private const int SlowControlChannels = 200;

    public static async Task<int> RunAsync(RepositoryLayout repository, LoadArguments arguments)
    {
        await using var server = ServerProcess.Start(repository, arguments.Configuration, demo: false);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await using var slowControl = await LoadPublisher.ConnectAsync(server.MqttPort, "bench-platform", SlowControlChannels);
        using var daq = new MqttClientFactory().CreateMqttClient();
        await daq.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", server.MqttPort).WithClientId("bench-daq").Build());

        var latencies = new ConcurrentBag<double>();
        var measuring = 0;
        var hubs = new List<HubConnection>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var hub = new HubConnectionBuilder()
                    .WithUrl($"http://127.0.0.1:{server.HttpPort}{MonitorHubContract.Path}")
                    .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
                    .Build();
                hub.On<SpectraUpdate>(nameof(IMonitorClient.SpectraUpdated), update =>
                {
                    if (Volatile.Read(ref measuring) == 1)
                    {
                        latencies.Add((DateTimeOffset.UtcNow - update.SentAt).TotalMilliseconds);
                    }
                });
                hub.On<IReadOnlyList<AgentInfo>>(nameof(IMonitorClient.AgentsUpdated), _ => { });
                await hub.StartAsync();
                await hub.InvokeAsync(MonitorHubContract.SubscribeSpectra);
                hubs.Add(hub);
            }

            var runStart = DateTimeOffset.UtcNow;
            var random = new Random(1);
            var counts = Enumerable.Range(0, Daqs).Select(_ => Enumerable.Range(0, 16).Select(_ => new long[Bins]).ToArray()).ToArray();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            var warmUp = 5;
            var cpuStart = TimeSpan.Zero;
            var wallStart = DateTime.UtcNow;
            long payloadBytes = 0;
            for (var second = 0; second < arguments.Seconds + warmUp && await timer.WaitForNextTickAsync(); second++)
            {
                if (second == warmUp)
                {
                    Volatile.Write(ref measuring, 1);
                    cpuStart = server.CpuTime();
                    wallStart = DateTime.UtcNow;
                }

                await slowControl.PublishReadingsAsync(slowControl.NowBatch(second));
                for (var d = 0; d < Daqs; d++)
                {
                    var payload = JsonSerializer.SerializeToUtf8Bytes(Set($"bench-daq-{d}", second + 1, runStart, counts[d], random), ProtocolJsonContext.Default.HistogramSet);
                    payloadBytes += payload.Length;
                    await daq.PublishAsync(new MqttApplicationMessageBuilder()
                        .WithTopic(Topics.DaqHistograms($"bench-daq-{d}"))
                        .WithPayload(payload)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build());
                }
            }

            await Task.Delay(1500);
            var cpu = (server.CpuTime() - cpuStart).TotalSeconds / (DateTime.UtcNow - wallStart).TotalSeconds;
            var values = latencies.ToArray();
            var diagnostics = await server.DiagnosticsAsync();
            Console.WriteLine($"spectra: {Daqs} DAQs × 16 histograms × {Bins} bins at 1 Hz ({payloadBytes / Math.Max(1, arguments.Seconds + warmUp) / 1024:N0} KiB/s of JSON) + {SlowControlChannels} slow-control channels at 1 Hz, {Clients} SignalR clients subscribed to spectra, {arguments.Seconds} s measured");
            Console.WriteLine($"  server CPU {cpu * 100:F1} % of one core, resident {server.ResidentMegabytes():F0} MiB; rejected {diagnostics.MessagesRejected}");
            Console.WriteLine($"  {values.Length:N0} spectra pushes received; publish→client p50 {Statistics.Percentile(values, 0.5):F0} ms, p99 {Statistics.Percentile(values, 0.99):F0} ms, max {(values.Length > 0 ? values.Max() : double.NaN):F0} ms");
            return values.Length > 0 && diagnostics.MessagesRejected == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }

            await daq.DisconnectAsync();
        }
    }

    /// <summary>A cumulative set: every histogram gains a second's worth of random counts.</summary>
    private static HistogramSet Set(string daqId, long seq, DateTimeOffset runStart, long[][] counts, Random random)
    {
        var histograms = new List<Histogram>(16);
        var index = 0;
        for (var sd = 1; sd <= 4; sd++)
        {
            foreach (var window in new[] { DaqWindow.Signal, DaqWindow.Pretrace })
            {
                Grow(counts[index], random);
                histograms.Add(new Histogram(HistogramKeys.Npe(sd, window), HistogramKind.Npe, sd, window, null, HistogramKeys.NpeUnit,
                    Edges(0, 100), [.. counts[index++]]));
            }

            foreach (var pmt in new[] { $"sd{sd}a", $"sd{sd}b" })
            {
                Grow(counts[index], random);
                histograms.Add(new Histogram(HistogramKeys.Spe(pmt), HistogramKind.SpeCharge, sd, null, pmt, HistogramKeys.ChargeUnit,
                    Edges(-0.5, 5.5), [.. counts[index++]]));
            }
        }

        return new HistogramSet(ProtocolRules.SchemaVersion, daqId, 1, seq, DateTimeOffset.UtcNow, runStart, seq * 25, seq * 0.99, seq * 2.18e13, histograms);
    }

    private static void Grow(long[] counts, Random random)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += random.Next(0, 1 + (400 / (i + 1)));
        }
    }

    private static double[] Edges(double low, double high) => [.. Enumerable.Range(0, Bins + 1).Select(i => low + ((high - low) * i / Bins))];
}
