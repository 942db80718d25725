using Clovers.Monitor.Load;

// Usage: dotnet run -c Release --project bench/load -- <ingest|latency|spectra|startup|first-load|all> [options]
//   ingest     --publishers 4 --batch 500 --seconds 20 --inflight 8
//   latency    --rate 1000 --seconds 20
//   spectra    --seconds 60   (32 histograms of 200 bins/s + slow control, 10 spectra subscribers)
//   startup    --runs 5
//   first-load
//   scale      --agents 10 --channels 100 --hz 10 --clients 50 --measuring-clients 5 --seconds 60 [--push-interval ms]
//   soak       the same for --minutes 10, a line a minute; reports memory growth
// The Server must be built (dotnet build -c Release) first; it is started from its build output.
var arguments = LoadArguments.Parse(args);
var repository = RepositoryLayout.Locate();
return arguments.Mode switch
{
    "ingest" => await IngestBenchmark.RunAsync(repository, arguments),
    "latency" => await LatencyBenchmark.RunAsync(repository, arguments),
    "spectra" => await SpectraBenchmark.RunAsync(repository, arguments),
    "startup" => await StartupBenchmark.RunAsync(repository, arguments),
    "first-load" => await FirstLoadBenchmark.RunAsync(repository, arguments),
    "scale" => await ScaleBenchmark.RunAsync(repository, arguments),
    "soak" => await ScaleBenchmark.SoakAsync(repository, arguments),
    "all" => await RunAllAsync(repository, arguments),
    _ => Usage(),
};

static async Task<int> RunAllAsync(RepositoryLayout repository, LoadArguments arguments)
{
    var failures = 0;
    failures += await StartupBenchmark.RunAsync(repository, arguments);
    failures += await IngestBenchmark.RunAsync(repository, arguments);
    failures += await LatencyBenchmark.RunAsync(repository, arguments);
    failures += await SpectraBenchmark.RunAsync(repository, arguments);
    failures += await FirstLoadBenchmark.RunAsync(repository, arguments);
    return failures == 0 ? 0 : 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: load <ingest|latency|spectra|startup|first-load|scale|soak|all> [--publishers N] [--batch N] [--seconds N] [--inflight N] [--rate N] [--runs N] [--agents N] [--channels N] [--hz R] [--clients K] [--measuring-clients M] [--minutes N] [--push-interval ms] [--configuration Release|Debug]");
    return 2;
}
