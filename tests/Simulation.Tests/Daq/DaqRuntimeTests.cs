using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Daq;
using Clovers.Monitor.Simulation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Simulation.Tests.Daq;

/// <summary>The DAQ runtime end to end through a real in-process MQTT broker.</summary>
public sealed class DaqRuntimeTests
{
    private static DaqSimulatorOptions FastOptions(string daqId, int port) => new()
    {
        DaqId = daqId,
        BrokerPort = port,
        Acceleration = 60,
        StepSeconds = 0.05,
        StatusIntervalSeconds = 0.2,
        HistogramIntervalSeconds = 0.2,
        ReconnectMinSeconds = 0.05,
        ReconnectMaxSeconds = 0.2,
        RunNumber = 7,
        Version = "test",
    };

    private static IReadOnlyList<HistogramSet> HistogramSets(TestBroker broker, string daqId) =>
        [.. broker.Published.Where(m => m.Topic == Topics.DaqHistograms(daqId))
            .Select(m => JsonSerializer.Deserialize(m.Payload, ProtocolJsonContext.Default.HistogramSet)!)];

    private static IReadOnlyList<(DaqStatusMessage Status, bool Retain)> Statuses(TestBroker broker, string daqId) =>
        [.. broker.Published.Where(m => m.Topic == Topics.DaqStatus(daqId))
            .Select(m => (JsonSerializer.Deserialize(m.Payload, ProtocolJsonContext.Default.DaqStatusMessage)!, m.Retain))];

    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public Running(DaqSimulatorOptions options, IBeamPowerSource beam)
        {
            Runtime = new DaqRuntime(new DaqSimulator(options, beam, TimeProvider.System), TimeProvider.System, NullLogger<DaqRuntime>.Instance);
            _run = Runtime.RunAsync(_stop.Token);
        }

        public DaqRuntime Runtime { get; }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _run;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            await Runtime.DisposeAsync();
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task RunAsync_Connected_PublishesRetainedRunningStatusWithTheRates()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var daq = new Running(FastOptions("daq-status", broker.Port), new FixedBeam(140));
        await Eventually.TrueAsync(() => Statuses(broker, "daq-status").Count >= 2, "two statuses were published");

        var (status, retain) = Statuses(broker, "daq-status")[^1];

        Assert.True(retain);
        Assert.Equal((DaqRunState.Running, 7L, true, "test"), (status.State, status.Run, status.Simulated, status.Version));
        Assert.Equal(25 * 0.99, status.TriggerRateHz, 1e-6);
        Assert.Equal(0.99, status.LivetimeFraction, 1e-6);
        Assert.InRange(status.VetoRateHz, 200, 300);
    }

    [Fact]
    public async Task RunAsync_Running_HistogramSetsAccumulateWithGrowingSeq()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var daq = new Running(FastOptions("daq-hist", broker.Port), new FixedBeam(140));
        await Eventually.TrueAsync(() => HistogramSets(broker, "daq-hist").Count >= 3, "three histogram sets were published");

        var sets = HistogramSets(broker, "daq-hist");

        Assert.True(sets.Zip(sets.Skip(1)).All(p => p.Second.Seq > p.First.Seq && p.Second.Triggers >= p.First.Triggers && p.Second.ProtonsOnTarget > p.First.ProtonsOnTarget));
        Assert.Equal(16, sets[^1].Histograms.Count);
        Assert.True(sets[^1].Simulated);
    }

    [Fact]
    public async Task RunAsync_Stopped_PublishesRetainedOfflineStatus()
    {
        await using var broker = await TestBroker.StartAsync();
        var daq = new Running(FastOptions("daq-stop", broker.Port), new FixedBeam(140));
        await Eventually.TrueAsync(() => Statuses(broker, "daq-stop").Count >= 1, "the status was published");

        await daq.DisposeAsync();

        var (status, retain) = Statuses(broker, "daq-stop")[^1];
        Assert.Equal((DaqRunState.Offline, true), (status.State, retain));
    }

    [Fact]
    public async Task RunAsync_BrokerLateToStart_ConnectsWhenItComesAndShowsTheWholeRun()
    {
        await using var broker = await TestBroker.StartAsync();
        await broker.StopServerAsync();
        await using var daq = new Running(FastOptions("daq-late", broker.Port), new FixedBeam(140));
        await Task.Delay(500);

        await broker.StartServerAsync();
        await Eventually.TrueAsync(() => HistogramSets(broker, "daq-late").Count >= 1, "a histogram set arrived after the broker started");

        // The run began before the broker: the first set already holds the time simulated meanwhile.
        Assert.True(HistogramSets(broker, "daq-late")[0].LivetimeSeconds > 20, $"{HistogramSets(broker, "daq-late")[0].LivetimeSeconds} s live");
    }
}
