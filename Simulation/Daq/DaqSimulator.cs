using System.Globalization;
using Clovers.Monitor.Shared.Physics;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;

namespace Clovers.Monitor.Simulation.Daq;

/// <summary>
/// A simulated CLOVERS DAQ: 25 Hz beam triggers, per sub-detector NPE histograms of the signal
/// (10 µs) and pretrace (40 µs) windows, per PMT single-photo-electron charge histograms from dark
/// pulses, all cumulative per run. Every step draws each bin's count from a Poisson law whose
/// mean follows the proposal's expected rates (see docs/physics.md), so a day or half a year is
/// computed in a few thousand draws per step instead of event by event.
/// Simulated time runs <see cref="DaqSimulatorOptions.Acceleration"/> times faster than the
/// injected clock, so a demo shows statistics piling up. Thread-safe.
/// </summary>
public sealed class DaqSimulator
{
    // Long steps are cut so that a gain drift or a changed option acts within the hour.
    private static readonly TimeSpan s_maxStep = TimeSpan.FromHours(1);
    private static readonly DaqComponent[] s_components = Enum.GetValues<DaqComponent>();

    private readonly Lock _gate = new();
    private readonly DaqSimulatorOptions _options;
    private readonly IBeamPowerSource _beam;
    private readonly TimeProvider _time;
    private readonly PlatformFaults? _faults;
    private readonly NoiseSource _random;

    // The status's veto count draws from its own stream: how often the status is published must
    // not change the histograms of a seeded run.
    private readonly NoiseSource _vetoRandom;
    private readonly double[] _npeEdges;
    private readonly double[] _chargeEdges;
    private readonly IReadOnlyList<double> _npeEdgeList;
    private readonly IReadOnlyList<double> _chargeEdgeList;
    private readonly int _analysisFirst;
    private readonly int _analysisEnd;
    private readonly double[][] _signalShapes;
    private readonly double[] _pretraceDarkPerTrigger;
    private readonly double[] _flatShape;
    private readonly long[][] _signal;
    private readonly long[][] _pretrace;
    private readonly long[][] _charge;
    private readonly double[][] _chargeShapes;
    private readonly double[] _chargeShapeGains;
    private readonly string[] _pmts;
    private readonly long[] _truthCounts = new long[s_components.Length];
    private readonly double[] _truthMeans = new double[s_components.Length];
    private DateTimeOffset _lastUpdate;
    private double _triggerCarry;
    private double _driftMultiplier = 1;
    private double _lastTriggerRate;
    private double _lastBeamKilowatts;
    private double _runSeconds;

    public DaqSimulator(DaqSimulatorOptions options, IBeamPowerSource beam, TimeProvider time, PlatformFaults? faults = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(beam);
        ArgumentNullException.ThrowIfNull(time);
        var validation = new DaqSimulatorOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _options = options;
        _beam = beam;
        _time = time;
        _faults = faults;
        _random = new NoiseSource(options.Seed);
        _vetoRandom = new NoiseSource(unchecked(options.Seed + 1));

        _npeEdges = DaqSpectra.Edges(options.NpeMaximum, options.NpeBinWidth);
        _chargeEdges = DaqSpectra.Edges(options.ChargeMaximumPicocoulombs, options.ChargeBinWidthPicocoulombs);
        _npeEdgeList = Array.AsReadOnly(_npeEdges);
        _chargeEdgeList = Array.AsReadOnly(_chargeEdges);
        (_analysisFirst, _analysisEnd) = DaqSpectra.AnalysisBins(_npeEdges);
        _signalShapes = [.. s_components.Select(c => DaqSpectra.SignalShape(c, _npeEdges))];
        _flatShape = DaqSpectra.SignalShape(DaqComponent.Radioactive, _npeEdges);
        _pretraceDarkPerTrigger = DaqSpectra.PretraceDarkPerTrigger(_npeEdges, options.PmtDarkRateHertz);

        var npeBins = _npeEdges.Length - 1;
        _signal = [.. Enumerable.Range(0, CloversFacts.SubDetectorCount).Select(_ => new long[npeBins])];
        _pretrace = [.. Enumerable.Range(0, CloversFacts.SubDetectorCount).Select(_ => new long[npeBins])];
        _pmts = [.. SimulatedChannels.Pmts];
        _charge = [.. _pmts.Select(_ => new long[_chargeEdges.Length - 1])];
        _chargeShapeGains = [.. _pmts.Select(NominalGainOf)];
        _chargeShapes = [.. _chargeShapeGains.Select(g => DaqSpectra.SpeChargeShape(_chargeEdges, SpeChargePicocoulombs(g)))];

        _lastUpdate = time.GetUtcNow();
        RunStartedAt = _lastUpdate;
        Run = options.RunNumber > 0
            ? options.RunNumber
            : long.Parse(_lastUpdate.UtcDateTime.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    public DaqSimulatorOptions Options => _options;

    public long Run { get; private set; }

    public DateTimeOffset RunStartedAt { get; private set; }

    /// <summary>Sequence number of the last <see cref="Snapshot"/>.</summary>
    public long Seq { get; private set; }

    /// <summary>Simulated time of the run so far.</summary>
    public TimeSpan SimulatedTime { get; private set; }

    /// <summary>Triggers recorded in the run: 25 Hz while beam is on target, less the dead time.</summary>
    public long Triggers { get; private set; }

    /// <summary>Time the DAQ could record in the run: running time less the dead time.</summary>
    public double LivetimeSeconds { get; private set; }

    /// <summary>Protons delivered in the run, integrated from the beam power.</summary>
    public double ProtonsOnTarget { get; private set; }

    /// <summary>The charge of one photo-electron in pC at <paramref name="gain"/>: gain × e.</summary>
    public static double SpeChargePicocoulombs(double gain) => gain * CloversFacts.ElementaryChargeCoulombs * 1e12;

    /// <summary>Gain of a PMT now, drift included.</summary>
    public double GainOf(string pmt)
    {
        lock (_gate)
        {
            return NominalGainOf(pmt) * (pmt == _options.DriftingPmt ? _driftMultiplier : 1);
        }
    }

    public DaqTruth Truth
    {
        get
        {
            lock (_gate)
            {
                return new DaqTruth(
                    _truthCounts[(int)DaqComponent.Cevns],
                    _truthCounts[(int)DaqComponent.BeamNeutrons],
                    _truthCounts[(int)DaqComponent.DarkCounts],
                    _truthCounts[(int)DaqComponent.Radioactive],
                    _truthMeans[(int)DaqComponent.Cevns],
                    _truthMeans[(int)DaqComponent.BeamNeutrons],
                    _truthMeans[(int)DaqComponent.DarkCounts],
                    _truthMeans[(int)DaqComponent.Radioactive]);
            }
        }
    }

    /// <summary>Advances by the clock time since the last update, times the acceleration, at the beam power of now.</summary>
    public void Update()
    {
        var kilowatts = Math.Max(0, _beam.BeamPowerKilowatts);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now <= _lastUpdate)
            {
                return;
            }

            var simulated = (now - _lastUpdate) * _options.Acceleration;
            _lastUpdate = now;
            AdvanceLocked(simulated, kilowatts);
        }
    }

    /// <summary>Advances by <paramref name="simulated"/> time at a fixed beam power; the deterministic core of <see cref="Update"/>.</summary>
    public void Advance(TimeSpan simulated, double kilowatts)
    {
        lock (_gate)
        {
            AdvanceLocked(simulated, Math.Max(0, kilowatts));
        }
    }

    /// <summary>Ends the run and starts the next: histograms and totals from zero, a new run number.</summary>
    public void StartNewRun()
    {
        lock (_gate)
        {
            Run++;
            Seq = 0;
            RunStartedAt = _time.GetUtcNow();
            SimulatedTime = TimeSpan.Zero;
            _runSeconds = 0;
            Triggers = 0;
            LivetimeSeconds = 0;
            ProtonsOnTarget = 0;
            _triggerCarry = 0;
            foreach (var histogram in _signal.Concat(_pretrace).Concat(_charge))
            {
                Array.Clear(histogram);
            }

            Array.Clear(_truthCounts);
            Array.Clear(_truthMeans);
        }
    }

    /// <summary>The whole run so far, as the DAQ publishes it; each call takes the next sequence number.</summary>
    public HistogramSet Snapshot()
    {
        lock (_gate)
        {
            var histograms = new List<Histogram>(2 * CloversFacts.SubDetectorCount + _pmts.Length);
            for (var sd = 1; sd <= CloversFacts.SubDetectorCount; sd++)
            {
                histograms.Add(Npe(sd, DaqWindow.Signal, _signal[sd - 1]));
                histograms.Add(Npe(sd, DaqWindow.Pretrace, _pretrace[sd - 1]));
            }

            for (var i = 0; i < _pmts.Length; i++)
            {
                histograms.Add(new Histogram(
                    HistogramKeys.Spe(_pmts[i]), HistogramKind.SpeCharge, null, null, _pmts[i],
                    HistogramKeys.ChargeUnit, _chargeEdgeList, [.. _charge[i]]));
            }

            Seq++;
            return new HistogramSet(
                ProtocolRules.SchemaVersion, _options.DaqId, Run, Seq, _time.GetUtcNow(), RunStartedAt,
                Triggers, LivetimeSeconds, ProtonsOnTarget, histograms)
            { Simulated = true };
        }
    }

    /// <summary>Trigger rate of the last step, livetime fraction of the run and a veto rate counted over 10 s.</summary>
    public (double TriggerRateHz, double LivetimeFraction, double VetoRateHz, double BeamKilowatts) Rates()
    {
        lock (_gate)
        {
            const double VetoWindowSeconds = 10;
            var livetime = _runSeconds > 0 ? Math.Clamp(LivetimeSeconds / _runSeconds, 0, 1) : 1 - _options.DeadTimeFraction;
            var veto = _vetoRandom.Poisson(_options.VetoRateHertz * VetoWindowSeconds) / VetoWindowSeconds;
            return (_lastTriggerRate, livetime, veto, _lastBeamKilowatts);
        }
    }

    private Histogram Npe(int subDetector, DaqWindow window, long[] counts) =>
        new(HistogramKeys.Npe(subDetector, window), HistogramKind.Npe, subDetector, window, null, HistogramKeys.NpeUnit, _npeEdgeList, [.. counts]);

    private void AdvanceLocked(TimeSpan simulated, double kilowatts)
    {
        _lastBeamKilowatts = kilowatts;
        while (simulated > TimeSpan.Zero)
        {
            var step = simulated < s_maxStep ? simulated : s_maxStep;
            Step(step.TotalSeconds, kilowatts);
            simulated -= step;
        }
    }

    private void Step(double seconds, double kilowatts)
    {
        SimulatedTime += TimeSpan.FromSeconds(seconds);
        _runSeconds += seconds;
        var liveFraction = 1 - _options.DeadTimeFraction;
        LivetimeSeconds += seconds * liveFraction;
        var protons = Beam.ProtonsPerSecond(kilowatts) * seconds;
        ProtonsOnTarget += protons;

        // The beam pulse is the trigger: no beam, no triggers, no recorded windows.
        var beamOn = kilowatts > 0;
        var recordedSeconds = beamOn ? seconds * liveFraction : 0;
        var triggers = (CloversFacts.BeamRepetitionHertz * recordedSeconds) + _triggerCarry;
        var wholeTriggers = Math.Floor(triggers);
        _triggerCarry = triggers - wholeTriggers;
        Triggers += (long)wholeTriggers;
        _lastTriggerRate = seconds > 0 ? CloversFacts.BeamRepetitionHertz * recordedSeconds / seconds : 0;

        // Per sub-detector (one 3 kg crystal): beam components per recorded proton, steady ones per recorded day.
        var perCrystal = Sensitivity.Expected(new Exposure(protons * liveFraction, recordedSeconds / CloversFacts.SecondsPerDay, CloversFacts.CrystalMassKilograms));
        Span<double> regionMeans = [perCrystal.Cevns, perCrystal.BeamNeutrons, perCrystal.DarkCounts, perCrystal.Radioactive];
        var recordedTriggers = CloversFacts.BeamRepetitionHertz * recordedSeconds;
        var pretraceWindows = CloversFacts.PretraceWindowMicroseconds / CloversFacts.SignalWindowMicroseconds;

        for (var sd = 0; sd < CloversFacts.SubDetectorCount; sd++)
        {
            for (var c = 0; c < s_components.Length; c++)
            {
                FillSignal(_signal[sd], _signalShapes[c], regionMeans[c], c);
            }

            // The pretrace sees no beam: dark photo-electrons of every trigger, radioactivity over a window four times as long.
            Fill(_pretrace[sd], _pretraceDarkPerTrigger, recordedTriggers);
            Fill(_pretrace[sd], _flatShape, regionMeans[(int)DaqComponent.Radioactive] * pretraceWindows);
        }

        AdvanceGainDrift(seconds);
        for (var i = 0; i < _pmts.Length; i++)
        {
            // Dark pulses are self-triggered: they come whether the beam is on or not.
            Fill(_charge[i], ChargeShape(i), _options.PmtDarkRateHertz * seconds * liveFraction);
        }
    }

    private void FillSignal(long[] histogram, double[] shape, double regionMean, int component)
    {
        if (!(regionMean > 0))
        {
            return;
        }

        for (var bin = 0; bin < histogram.Length; bin++)
        {
            var count = _random.Poisson(shape[bin] * regionMean);
            histogram[bin] += count;
            if (bin >= _analysisFirst && bin < _analysisEnd)
            {
                _truthCounts[component] += count;
            }
        }

        _truthMeans[component] += regionMean;
    }

    private void Fill(long[] histogram, double[] shape, double scale)
    {
        if (!(scale > 0))
        {
            return;
        }

        for (var bin = 0; bin < histogram.Length; bin++)
        {
            histogram[bin] += _random.Poisson(shape[bin] * scale);
        }
    }

    private void AdvanceGainDrift(double seconds)
    {
        if (_faults?.IsActive(FaultNames.PmtGainDrift) == true)
        {
            _driftMultiplier = Math.Max(0.5, _driftMultiplier - (_options.GainDriftPercentPerHour / 100 * seconds / 3600));
        }
        else
        {
            // Clearing the fault stands for retuning the tube's high voltage.
            _driftMultiplier = 1;
        }
    }

    private double[] ChargeShape(int pmt)
    {
        var name = _pmts[pmt];
        var gain = NominalGainOf(name) * (name == _options.DriftingPmt ? _driftMultiplier : 1);
        if (Math.Abs(gain - _chargeShapeGains[pmt]) > 1e-4 * gain)
        {
            _chargeShapes[pmt] = DaqSpectra.SpeChargeShape(_chargeEdges, SpeChargePicocoulombs(gain));
            _chargeShapeGains[pmt] = gain;
        }

        return _chargeShapes[pmt];
    }

    private double NominalGainOf(string pmt) =>
        _options.PmtGains is { } gains && gains.TryGetValue(pmt, out var gain) ? gain : _options.NominalGain;
}
