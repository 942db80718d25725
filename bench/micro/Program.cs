using BenchmarkDotNet.Running;
using Clovers.Monitor.Benchmarks.Reference;
using Clovers.Monitor.Benchmarks.Storage;

// `storage [write|history|overview]` runs a quick Stopwatch pass over the store and prints its figures; `reference` runs the same
// workload against SQLite, InfluxDB 1.x and VictoriaMetrics side by side; anything else goes to
// BenchmarkDotNet, e.g. `--filter *Storage*` or `--list flat`.
if (args is ["storage", .. var parts])
{
    await StorageQuickRun.RunAsync(Console.Out, parts);
    return;
}

if (args is ["reference", ..])
{
    await ReferenceRun.RunAsync(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(StorageQuickRun).Assembly).Run(args);
