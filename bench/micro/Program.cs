using BenchmarkDotNet.Running;
using Clovers.Monitor.Benchmarks.Storage;

// `storage` runs a quick Stopwatch pass over the store and prints its figures; anything else goes
// to BenchmarkDotNet, e.g. `--filter *Storage*` or `--list flat`.
if (args is ["storage", ..])
{
    await StorageQuickRun.RunAsync(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(StorageQuickRun).Assembly).Run(args);
