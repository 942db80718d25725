using Clovers.Monitor.Shared.Physics;

namespace Clovers.Monitor.Simulation.Daq;

/// <summary>The components of the simulated NPE spectra, as in the proposal's Fig. of expected rates.</summary>
public enum DaqComponent
{
    Cevns,
    BeamNeutrons,
    DarkCounts,
    Radioactive,
}

/// <summary>
/// Shapes of the simulated spectra: each a density integrated over the bins and scaled so that the
/// bins of the analysis region 4–72 NPE hold exactly one expected event. Multiplying by the
/// expected events in the region (from <see cref="Sensitivity"/>) gives each bin's mean.
/// </summary>
internal static class DaqSpectra
{
    /// <summary>CEvNS recoils fall steeply: e^(−n/12), 71 % of them inside 4–72 NPE.</summary>
    public const double CevnsSlopeNpe = 12;

    /// <summary>Beam neutrons are broad: n·e^(−n/25), peaking at 25 NPE and reaching past 100.</summary>
    public const double NeutronScaleNpe = 25;

    /// <summary>Selected dark-count events need a photo-electron in each PMT (≥ 2 NPE) and fall as e^(−(n−2)/0.6).</summary>
    public const double DarkCountSlopeNpe = 0.6;

    public const double DarkCountThresholdNpe = 2;

    /// <summary>Edges 0, w, 2w, … up to <paramref name="maximum"/>; the last bin may end above it.</summary>
    public static double[] Edges(double maximum, double width)
    {
        var bins = DaqSimulatorOptionsValidator.BinCount(maximum, width);
        return [.. Enumerable.Range(0, bins + 1).Select(i => Math.Round(i * width, 9))];
    }

    /// <summary>Indices of the bins that make up [4, 72) NPE.</summary>
    public static (int First, int End) AnalysisBins(double[] edges)
    {
        var first = Array.FindIndex(edges, e => e >= CloversFacts.AnalysisNpeMin - 1e-9);
        var end = Array.FindIndex(edges, e => e >= CloversFacts.AnalysisNpeMax - 1e-9);
        return (first, end);
    }

    public static double[] SignalShape(DaqComponent component, double[] edges) => component switch
    {
        DaqComponent.Cevns => Normalised(n => Math.Exp(-n / CevnsSlopeNpe), edges),
        DaqComponent.BeamNeutrons => Normalised(n => n * Math.Exp(-n / NeutronScaleNpe), edges),
        DaqComponent.DarkCounts => Normalised(n => n <= DarkCountThresholdNpe ? 0 : Math.Exp(-(n - DarkCountThresholdNpe) / DarkCountSlopeNpe), edges),
        DaqComponent.Radioactive => Normalised(_ => 1, edges),
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    /// <summary>
    /// Triggers whose 40 µs pretrace holds k ≥ 1 dark photo-electrons of the sub-detector's two
    /// PMTs, per trigger: Poisson(k; μ) with μ = 2 × dark rate × 40 µs. Bin of k NPE gets P(k).
    /// </summary>
    public static double[] PretraceDarkPerTrigger(double[] edges, double pmtDarkRateHertz)
    {
        var mean = CloversFacts.PmtsPerSubDetector * pmtDarkRateHertz * CloversFacts.PretraceWindowMicroseconds * 1e-6;
        var perBin = new double[edges.Length - 1];
        var probability = Math.Exp(-mean);
        for (var k = 1; k < 64; k++)
        {
            probability *= mean / k;
            if (probability < 1e-18)
            {
                break;
            }

            var bin = BinOf(edges, k);
            if (bin >= 0)
            {
                perBin[bin] += probability;
            }
        }

        return perBin;
    }

    /// <summary>
    /// Charge of one dark pulse of a PMT with single photo-electron charge <paramref name="speCharge"/> (pC):
    /// 12 % electronic noise and under-amplified pulses just above threshold (e^(−q/0.06 pC)),
    /// 83 % one photo-electron, Gaussian at the SPE charge with 35 % width, 5 % two photo-electrons.
    /// Scaled to sum to one over the whole histogram (pulses above its top are lost).
    /// </summary>
    public static double[] SpeChargeShape(double[] edges, double speCharge)
    {
        var sigma = 0.35 * speCharge;
        double Density(double q) =>
            (0.12 * Math.Exp(-q / 0.06) / 0.06)
            + (0.83 * Gauss(q, speCharge, sigma))
            + (0.05 * Gauss(q, 2 * speCharge, Math.Sqrt(2) * sigma));
        return Integrate(Density, edges);
    }

    public static int BinOf(double[] edges, double value)
    {
        if (value < edges[0] || value >= edges[^1])
        {
            return -1;
        }

        var index = Array.BinarySearch(edges, value);
        return index >= 0 ? index : ~index - 1;
    }

    private static double Gauss(double x, double mean, double sigma) =>
        Math.Exp(-0.5 * Math.Pow((x - mean) / sigma, 2)) / (sigma * Math.Sqrt(2 * Math.PI));

    private static double[] Normalised(Func<double, double> density, double[] edges)
    {
        var perBin = Integrate(density, edges);
        var (first, end) = AnalysisBins(edges);
        var inRegion = 0.0;
        for (var i = first; i < end; i++)
        {
            inRegion += perBin[i];
        }

        for (var i = 0; i < perBin.Length; i++)
        {
            perBin[i] /= inRegion;
        }

        return perBin;
    }

    // Simpson's rule on 8 panels per bin: the densities are smooth within a bin.
    private static double[] Integrate(Func<double, double> density, double[] edges)
    {
        const int Panels = 8;
        var perBin = new double[edges.Length - 1];
        for (var i = 0; i < perBin.Length; i++)
        {
            var a = edges[i];
            var h = (edges[i + 1] - a) / Panels;
            var sum = density(a) + density(edges[i + 1]);
            for (var j = 1; j < Panels; j++)
            {
                sum += (j % 2 == 1 ? 4 : 2) * density(a + (j * h));
            }

            perBin[i] = Math.Max(0, sum * h / 3);
        }

        return perBin;
    }
}
