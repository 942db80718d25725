using System.Diagnostics;

namespace Clovers.Monitor.Load;

/// <summary>Time from starting the built Server to its first /healthz 200, on the embedded default with the demo.</summary>
public static class StartupBenchmark
{
    public static async Task<int> RunAsync(RepositoryLayout repository, LoadArguments arguments)
    {
        var times = new List<double>();
        for (var run = 0; run < arguments.Runs; run++)
        {
            var clock = Stopwatch.StartNew();
            await using var server = ServerProcess.Start(repository, arguments.Configuration, demo: true);
            await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"startup: process start → /healthz 200 over {arguments.Runs} runs: median {Statistics.Percentile(times, 0.5):F0} ms, max {times.Max():F0} ms");
        return 0;
    }
}
