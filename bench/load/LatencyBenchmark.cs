using System.Collections.Concurrent;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Load;

/// <summary>
/// Publish → browser latency: readings stamped "now" go through the broker, ingest, live state
/// and the coalescing hub to a SignalR client; latency is arrival minus the reading's stamp.
/// Coalescing is part of the figure: a channel changes at most every push interval.
/// </summary>
public static class LatencyBenchmark
{
    private const int Channels = 100;

    public static async Task<int> RunAsync(RepositoryLayout repository, LoadArguments arguments)
    {
        await using var server = ServerProcess.Start(repository, arguments.Configuration, demo: false);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await using var publisher = await LoadPublisher.ConnectAsync(server.MqttPort, "latency", Channels);
        var latencies = new ConcurrentBag<double>();
        var measuring = false;
        await using var hub = new HubConnectionBuilder()
            .WithUrl($"http://127.0.0.1:{server.HttpPort}{MonitorHubContract.Path}")
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
            .Build();
        hub.On<IReadOnlyList<ChannelUpdate>>(nameof(IMonitorClient.ChannelsUpdated), updates =>
        {
            var now = DateTimeOffset.UtcNow;
            if (Volatile.Read(ref measuring))
            {
                foreach (var update in updates)
                {
                    latencies.Add((now - update.Timestamp).TotalMilliseconds);
                }
            }
        });
        await hub.StartAsync();
        await hub.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null);

        // One batch of one reading per channel; batches paced so that readings/s = rate.
        var batchesPerSecond = Math.Max(1.0, arguments.Rate / (double)Channels);
        var period = TimeSpan.FromSeconds(1 / batchesPerSecond);
        using var timer = new PeriodicTimer(period);
        var end = DateTime.UtcNow.AddSeconds(arguments.Seconds);
        var warmUpEnd = DateTime.UtcNow.AddSeconds(2);
        var value = 0.0;
        while (DateTime.UtcNow < end && await timer.WaitForNextTickAsync())
        {
            Volatile.Write(ref measuring, DateTime.UtcNow > warmUpEnd);
            await publisher.PublishReadingsAsync(publisher.NowBatch(value++));
        }

        await Task.Delay(1000);
        var values = latencies.ToArray();
        Console.WriteLine($"latency: {arguments.Rate} readings/s over {Channels} channels for {arguments.Seconds} s, one SignalR client");
        Console.WriteLine($"  {values.Length:N0} channel updates received; publish→client p50 {Statistics.Percentile(values, 0.5):F0} ms, p99 {Statistics.Percentile(values, 0.99):F0} ms, max {(values.Length > 0 ? values.Max() : double.NaN):F0} ms");
        return values.Length > 0 ? 0 : 1;
    }
}
