using Clovers.Monitor.Shared.Physics;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Daq;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Simulation.Tests.Daq;

public sealed class DaqSimulatorTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    // One wall second is one simulated hour: half a year in 4320 clock steps.
    private static DaqSimulatorOptions Options(double deadTime = 0, double acceleration = 3600, int seed = 11) => new()
    {
        DaqId = "daq-test",
        Seed = seed,
        Acceleration = acceleration,
        DeadTimeFraction = deadTime,
        RunNumber = 42,
    };

    private static (DaqSimulator Simulator, FakeTimeProvider Time) Create(double kilowatts = 140, DaqSimulatorOptions? options = null, PlatformFaults? faults = null)
    {
        var time = new FakeTimeProvider(s_start);
        return (new DaqSimulator(options ?? Options(), new FixedBeam(kilowatts), time, faults), time);
    }

    private static void Run(DaqSimulator simulator, FakeTimeProvider time, TimeSpan wall, TimeSpan step)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < wall; elapsed += step)
        {
            time.Advance(step);
            simulator.Update();
        }
    }

    // Half a year at nominal power takes a few seconds: computed once for the tests that only read it.
    private static readonly Lazy<DaqSimulator> s_nominalHalfYear = new(() => HalfYear(140, 11));

    private static DaqSimulator HalfYear(double kilowatts, int seed)
    {
        var (simulator, time) = Create(kilowatts, Options(seed: seed));
        Run(simulator, time, TimeSpan.FromSeconds(180 * 24), TimeSpan.FromSeconds(1));
        return simulator;
    }

    private static long AnalysisRegionCounts(Histogram histogram) =>
        Enumerable.Range(0, histogram.Counts.Count)
            .Where(i => histogram.Edges[i] >= CloversFacts.AnalysisNpeMin && histogram.Edges[i + 1] <= CloversFacts.AnalysisNpeMax)
            .Sum(i => histogram.Counts[i]);

    private static void AssertPoisson(double mean, long observed, string what) =>
        Assert.True(Math.Abs(observed - mean) <= 3 * Math.Sqrt(mean), $"{what}: {observed} drawn, {mean} expected (3σ = {3 * Math.Sqrt(mean):0.0})");

    [Fact]
    public void Update_HalfYearAtNominal_ReproducesTheProposalCountsWithinThreeSigma()
    {
        var truth = s_nominalHalfYear.Value.Truth;

        AssertPoisson(160, truth.Cevns, "CEvNS");
        AssertPoisson(666, truth.BeamNeutrons, "beam neutrons");
        AssertPoisson(160, truth.DarkCounts, "dark counts");
        AssertPoisson(7, truth.Radioactive, "radioactive");
    }

    [Fact]
    public void Update_HalfYearAtNominal_DrawsFromExactlyTheProposalMeans()
    {
        var truth = s_nominalHalfYear.Value.Truth;

        Assert.Equal(
            [160, 666, 160, 7],
            new[] { truth.ExpectedCevns, truth.ExpectedBeamNeutrons, truth.ExpectedDarkCounts, truth.ExpectedRadioactive }.Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void Snapshot_HalfYearAtNominal_SignalWindowsHoldTheTruthInFourToSeventyTwoNpe()
    {
        var simulator = s_nominalHalfYear.Value;

        var inRegion = simulator.Snapshot().Histograms.Where(h => h.Window == DaqWindow.Signal).Sum(AnalysisRegionCounts);

        Assert.Equal(simulator.Truth.Total, inRegion);
    }

    [Fact]
    public void Snapshot_HalfYearAtNominal_PretraceHoldsOnlyTheSteadyComponents()
    {
        var simulator = s_nominalHalfYear.Value;

        var inRegion = simulator.Snapshot().Histograms.Where(h => h.Window == DaqWindow.Pretrace).Sum(AnalysisRegionCounts);

        // Radioactivity over a window four times as long; dark photo-electrons of the pretrace stay below 4 NPE.
        AssertPoisson(4 * 7, inRegion, "pretrace 4–72 NPE");
    }

    [Fact]
    public void Update_HalfYearAtHalfPower_HalvesTheBeamComponentsOnly()
    {
        var truth = HalfYear(kilowatts: 70, seed: 11).Truth;

        Assert.Equal((80.0, 333.0, 160.0), (Math.Round(truth.ExpectedCevns, 6), Math.Round(truth.ExpectedBeamNeutrons, 6), Math.Round(truth.ExpectedDarkCounts, 6)));
    }

    [Fact]
    public void Update_SameSeedAndSteps_SameHistograms()
    {
        var first = HalfYear(kilowatts: 140, seed: 5).Snapshot();
        var second = HalfYear(kilowatts: 140, seed: 5).Snapshot();

        Assert.Equal(first.Histograms.SelectMany(h => h.Counts), second.Histograms.SelectMany(h => h.Counts));
    }

    [Fact]
    public void Update_BeamOff_NoTriggersNoProtonsNoEvents()
    {
        var (simulator, time) = Create(kilowatts: 0);
        Run(simulator, time, TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(1));

        Assert.Equal((0L, 0.0, 0L), (simulator.Triggers, simulator.ProtonsOnTarget, simulator.Truth.Total));
    }

    [Fact]
    public void Update_OneDayAtNominal_Delivers472E19Protons()
    {
        var (simulator, time) = Create();
        Run(simulator, time, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(1));

        Assert.Equal(4.72e19, simulator.ProtonsOnTarget, 0.005 * 4.72e19);
    }

    [Fact]
    public void Update_OneHourWithDeadTime_Records25HzLessTheDeadTime()
    {
        var (simulator, time) = Create(options: Options(deadTime: 0.02));
        Run(simulator, time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.Equal((88_200L, 3528.0), (simulator.Triggers, Math.Round(simulator.LivetimeSeconds, 6)));
    }

    [Fact]
    public void Update_Acceleration_AdvancesSimulatedTimeThatManyTimesFaster()
    {
        var (simulator, time) = Create(options: Options(acceleration: 60));
        Run(simulator, time, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMinutes(90), simulator.SimulatedTime);
    }

    [Fact]
    public void Snapshot_Always_HasEightNpeAndEightSpeHistogramsWithTheSharedKeys()
    {
        var (simulator, _) = Create();

        var keys = simulator.Snapshot().Histograms.Select(h => h.Key).Order(StringComparer.Ordinal);

        string[] expected =
        [
            .. Enumerable.Range(1, 4).SelectMany(sd => new[] { HistogramKeys.Npe(sd, DaqWindow.Signal), HistogramKeys.Npe(sd, DaqWindow.Pretrace) }),
            .. SimulatedChannels.Pmts.Select(HistogramKeys.Spe),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public void Snapshot_DefaultBinning_Is200BinsOfOneNpeAnd200BinsOfTwentyFemtocoulombs()
    {
        var (simulator, _) = Create();

        var histograms = simulator.Snapshot().Histograms;

        var npe = histograms.First(h => h.Kind == HistogramKind.Npe);
        var spe = histograms.First(h => h.Kind == HistogramKind.SpeCharge);
        Assert.Equal((200, 0.0, 200.0, 1.0), (npe.Counts.Count, npe.Edges[0], npe.Edges[^1], npe.Edges[1] - npe.Edges[0]));
        Assert.Equal((200, 0.0, 4.0, HistogramKeys.ChargeUnit), (spe.Counts.Count, spe.Edges[0], Math.Round(spe.Edges[^1], 9), spe.Unit));
    }

    [Fact]
    public void Snapshot_TwoCalls_SequenceGrowsWithinTheRun()
    {
        var (simulator, _) = Create();

        var first = simulator.Snapshot();
        var second = simulator.Snapshot();

        Assert.Equal((42L, 42L, first.Seq + 1), (first.Run, second.Run, second.Seq));
    }

    [Fact]
    public void Run_NoRunNumberConfigured_IsTheStartTimeToTheSecond()
    {
        var options = Options();
        options.RunNumber = 0;
        var (simulator, _) = Create(options: options);

        Assert.Equal(261126000000L, simulator.Run);
    }

    [Fact]
    public void StartNewRun_AfterData_StartsFromZeroWithTheNextNumber()
    {
        var (simulator, time) = Create();
        Run(simulator, time, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));

        simulator.StartNewRun();
        var set = simulator.Snapshot();

        Assert.Equal((43L, 0L, 0L), (set.Run, set.Triggers, set.Histograms.Sum(h => h.Counts.Sum())));
    }

    [Fact]
    public void Snapshot_AnHourOfDarkPulses_SpePeakSitsAtGainTimesElementaryCharge()
    {
        var (simulator, time) = Create();
        Run(simulator, time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var spe = simulator.Snapshot().Histograms.Single(h => h.Key == HistogramKeys.Spe("sd1a"));

        var peak = Enumerable.Range(0, spe.Counts.Count).Where(i => spe.Edges[i] > 0.3).MaxBy(i => spe.Counts[i]);
        Assert.Equal(5e6 * 1.602176634e-19 * 1e12, (spe.Edges[peak] + spe.Edges[peak + 1]) / 2, 0.05);
    }

    [Fact]
    public void GainOf_GainDriftFaultThreeDemoMinutes_FallsByMoreThanFivePercent()
    {
        var faults = new PlatformFaults();
        var (simulator, time) = Create(options: Options(acceleration: 60), faults: faults);
        faults.Set(FaultNames.PmtGainDrift);

        Run(simulator, time, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));

        Assert.True(simulator.GainOf("sd3b") < 0.95 * 5e6, $"gain {simulator.GainOf("sd3b"):0.000e0}");
    }

    [Fact]
    public void GainOf_GainDriftFault_LeavesTheOtherPmtsAlone()
    {
        var faults = new PlatformFaults();
        var (simulator, time) = Create(options: Options(acceleration: 60), faults: faults);
        faults.Set(FaultNames.PmtGainDrift);

        Run(simulator, time, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));

        Assert.All(SimulatedChannels.Pmts.Where(p => p != "sd3b"), pmt => Assert.Equal(5e6, simulator.GainOf(pmt)));
    }

    [Fact]
    public void GainOf_GainDriftCleared_BackToNominal()
    {
        var faults = new PlatformFaults();
        var (simulator, time) = Create(options: Options(acceleration: 60), faults: faults);
        faults.Set(FaultNames.PmtGainDrift);
        Run(simulator, time, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));

        faults.Clear(FaultNames.PmtGainDrift);
        Run(simulator, time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.Equal(5e6, simulator.GainOf("sd3b"));
    }

    [Fact]
    public void Snapshot_GainDrift_MovesTheSpePeakOfThatPmtDown()
    {
        var options = Options(acceleration: 60);
        options.PmtGains["sd3b"] = 3e6;
        var (simulator, time) = Create(options: options);
        Run(simulator, time, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));

        var spe = simulator.Snapshot().Histograms.Single(h => h.Key == HistogramKeys.Spe("sd3b"));

        var peak = Enumerable.Range(0, spe.Counts.Count).Where(i => spe.Edges[i] > 0.25).MaxBy(i => spe.Counts[i]);
        Assert.Equal(3e6 * 1.602176634e-19 * 1e12, spe.Edges[peak], 0.06);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowsListingTheProblems()
    {
        var options = Options();
        options.DaqId = "Bad Id";
        options.NpeBinWidth = 3;

        var ex = Assert.Throws<ArgumentException>(() => new DaqSimulator(options, new FixedBeam(140), TimeProvider.System));

        Assert.Contains("DaqId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NpeBinWidth", ex.Message, StringComparison.Ordinal);
    }
}
