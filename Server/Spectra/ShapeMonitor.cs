using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// Every few minutes compares each sub-detector's signal-window spectrum of the last hour (the
/// current cumulative histogram minus the snapshot an hour old) with the DAQ's newest saved
/// reference by the two-sample χ² test, and yields χ²/ndf as the reading
/// <c>daq.{daqId}.sd{n}.shape_chi2</c>. No reference saved: nothing to compare, no reading.
/// </summary>
public sealed class ShapeMonitor(SpectraRepository repository, IOptions<SpectraOptions> options)
{
    private readonly SpectraOptions _options = options.Value;
    private readonly Dictionary<string, DateTimeOffset> _lastCheck = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Daq, string Key), long[]?> _references = [];
    private readonly Lock _gate = new();

    /// <summary>A reference was saved: read it afresh at the next check.</summary>
    public void ReferencesChanged()
    {
        lock (_gate)
        {
            _references.Clear();
            _lastCheck.Clear();
        }
    }

    public async Task<IReadOnlyList<Reading>> CheckAsync(DaqSpectra spectra, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spectra);
        var daq = spectra.Totals.DaqId;
        lock (_gate)
        {
            if (_lastCheck.TryGetValue(daq, out var last) && now - last < TimeSpan.FromMinutes(_options.ShapeIntervalMinutes))
            {
                return [];
            }

            _lastCheck[daq] = now;
        }

        var readings = new List<Reading>();
        for (var sd = 1; sd <= DaqChannels.SubDetectors; sd++)
        {
            var key = HistogramKeys.Npe(sd, DaqWindow.Signal);
            if (!spectra.Histograms.TryGetValue(key, out var histogram) || await ReferenceAsync(daq, key, cancellationToken) is not { } reference
                || reference.Length != histogram.Counts.Count)
            {
                continue;
            }

            var since = await repository.GetSnapshotAtOrBeforeAsync(daq, spectra.Totals.Run, key, now - TimeSpan.FromMinutes(_options.ShapeWindowMinutes), cancellationToken);
            double[] window = [.. DaqSpectra.GainedSince(histogram, since).Select(c => (double)c)];
            var total = window.Sum();

            if (total < _options.ShapeMinCounts)
            {
                continue;
            }

            if (SpectrumComparison.Compare(window, [.. reference.Select(c => (double)c)]) is { } comparison)
            {
                readings.Add(new Reading(DaqChannels.Shape(daq, sd), now, comparison.Chi2PerNdf));
            }
        }

        return readings;
    }

    /// <summary>The counts of <paramref name="key"/> in the DAQ's newest reference; null when there is none.</summary>
    private async Task<long[]?> ReferenceAsync(string daq, string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_references.TryGetValue((daq, key), out var cached))
            {
                return cached;
            }
        }

        var references = await repository.GetReferencesAsync(daq, cancellationToken);
        long[]? found = null;
        if (references.Count > 0 && await repository.GetReferenceAsync(daq, references[0].Name, key, cancellationToken) is { } reference)
        {
            found = reference.Counts;
        }

        lock (_gate)
        {
            _references[(daq, key)] = found;
        }

        return found;
    }
}
