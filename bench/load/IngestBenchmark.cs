using System.Diagnostics;

namespace Clovers.Monitor.Load;

/// <summary>
/// Sustained ingest: P publishers send batches of B readings with up to K unacknowledged each
/// for D seconds; the figure is readings stored per second until the last one is stored, and
/// the loss is what was acknowledged by the broker but never stored.
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(RepositoryLayout repository, LoadArguments arguments)
    {
        await using var server = ServerProcess.Start(repository, arguments.Configuration, demo: false);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var publishers = new List<LoadPublisher>();
        for (var i = 0; i < arguments.Publishers; i++)
        {
            publishers.Add(await LoadPublisher.ConnectAsync(server.MqttPort, $"load-{i}", channels: 50));
        }

        await Task.Delay(500);
        var origin = DateTimeOffset.UtcNow.AddMinutes(-1);
        var before = await server.DiagnosticsAsync();
        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(arguments.Seconds);
        var sent = await Task.WhenAll(publishers.Select(p => PublishForAsync(p, arguments, origin, clock, deadline)));
        var published = sent.Sum();
        var publishSeconds = clock.Elapsed.TotalSeconds;

        var stored = before.ReadingsStored;
        var peakRss = server.ResidentMegabytes();
        while (clock.Elapsed < deadline + TimeSpan.FromSeconds(120))
        {
            var diagnostics = await server.DiagnosticsAsync();
            stored = diagnostics.ReadingsStored - before.ReadingsStored;
            peakRss = Math.Max(peakRss, server.ResidentMegabytes());
            if (stored >= published)
            {
                break;
            }

            await Task.Delay(100);
        }

        var allStoredSeconds = clock.Elapsed.TotalSeconds;
        var cpu = (server.CpuTime() - cpuBefore).TotalSeconds / allStoredSeconds;
        var after = await server.DiagnosticsAsync();
        Console.WriteLine($"ingest: {arguments.Publishers} publishers x batches of {arguments.BatchSize}, {arguments.InFlight} in flight each, {arguments.Seconds} s");
        Console.WriteLine($"  published {published:N0} readings in {publishSeconds:F1} s = {published / publishSeconds:N0} readings/s acknowledged by the broker");
        Console.WriteLine($"  stored    {stored:N0} readings, all stored after {allStoredSeconds:F1} s = {stored / allStoredSeconds:N0} readings/s sustained");
        Console.WriteLine($"  loss      {published - stored:N0}; rejected messages {after.MessagesRejected - before.MessagesRejected}");
        Console.WriteLine($"  store write latency p50 {after.StoreWriteLatency.P50Ms:F1} ms, p99 {after.StoreWriteLatency.P99Ms:F1} ms; server CPU {cpu * 100:F0} % of one core; peak RSS {peakRss:F0} MiB");
        foreach (var publisher in publishers)
        {
            await publisher.DisposeAsync();
        }

        return published == stored ? 0 : 1;
    }

    private static async Task<long> PublishForAsync(LoadPublisher publisher, LoadArguments arguments, DateTimeOffset origin, Stopwatch clock, TimeSpan deadline)
    {
        long sent = 0;
        var inFlight = new List<Task>(arguments.InFlight);
        while (clock.Elapsed < deadline)
        {
            inFlight.Add(publisher.PublishReadingsAsync(publisher.NextBatch(arguments.BatchSize, origin)));
            sent += arguments.BatchSize;
            if (inFlight.Count >= arguments.InFlight)
            {
                var done = await Task.WhenAny(inFlight);
                await done;
                inFlight.Remove(done);
            }
        }

        await Task.WhenAll(inFlight);
        return sent;
    }
}
