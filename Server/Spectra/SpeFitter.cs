namespace Clovers.Monitor.Server.Spectra;

/// <summary>A fitted single-photo-electron peak. <see cref="Gain"/> is the peak's mean charge; <see cref="Pedestal"/> the centroid of the pedestal when there is one.</summary>
public sealed record SpeFit(double Gain, double GainError, double Mean, double Sigma, double Pedestal, long Entries, int Iterations);

/// <summary>
/// Finds the single-photo-electron peak of a PMT charge spectrum and fits a Gaussian to it.
/// <para>
/// The pedestal (electronic noise around zero charge) and the SPE peak are told apart among the
/// prominent maxima of a lightly smoothed spectrum: the first peak is the pedestal when it sits
/// much closer to zero than the next one. The SPE peak is then fitted by weighted least squares of
/// a parabola to the logarithm of the counts (a Gaussian's logarithm is a parabola; weight = count,
/// the inverse variance of a Poisson count's logarithm), in a window of ±1.5σ that is re-centred
/// on each iteration and never reaches below the valley to the pedestal, so the pedestal, the
/// two-photo-electron peak and the under-amplified tail barely pull on it. Should the parabola
/// open upwards (too few counts), the window's mean and variance are used instead.
/// </para>
/// </summary>
public static class SpeFitter
{
    private const double WindowSigmas = 1.5;
    private const int MaxIterations = 30;

    /// <summary>The fit, or null when no SPE peak with at least <paramref name="minPeakEntries"/> entries is found.</summary>
    public static SpeFit? Fit(IReadOnlyList<double> edges, IReadOnlyList<long> counts, long minPeakEntries = 100)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(counts);
        var n = counts.Count;
        if (n < 5 || edges.Count != n + 1)
        {
            return null;
        }

        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = (edges[i] + edges[i + 1]) / 2;
            y[i] = counts[i];
        }

        var halfWidth = Math.Max(1, n / 80);
        var smooth = Smooth(y, halfWidth);
        var peaks = ProminentPeaks(smooth, halfWidth);
        if (peaks.Count == 0)
        {
            return null;
        }

        int spe;
        int? pedestal = null;
        if (peaks.Count >= 2 && Math.Abs(x[peaks[0]]) < 0.35 * Math.Abs(x[peaks[1]]))
        {
            pedestal = peaks[0];
            spe = peaks[1];
        }
        else if (x[peaks[0]] > 0)
        {
            spe = peaks[0];
        }
        else
        {
            return null;
        }

        var floor = double.NegativeInfinity;
        var pedestalMean = 0.0;
        if (pedestal is { } p)
        {
            var valley = p;
            for (var i = p; i <= spe; i++)
            {
                if (smooth[i] < smooth[valley])
                {
                    valley = i;
                }
            }

            floor = x[valley];
            pedestalMean = Centroid(x, y, Math.Max(0, p - halfWidth - 1), Math.Min(valley, p + halfWidth + 1));
        }

        var mean = x[spe];
        var sigma = InitialSigma(x, smooth, spe, floor);
        var binWidth = (edges[n] - edges[0]) / n;
        long entries = 0;
        var iterations = 0;
        for (; iterations < MaxIterations; iterations++)
        {
            var low = Math.Max(mean - (WindowSigmas * sigma), floor);
            var high = mean + (WindowSigmas * sigma);
            var next = FitWindow(x, y, low, high, out entries);
            if (next is null)
            {
                return null;
            }

            var (newMean, newSigma) = next.Value;
            var moved = Math.Abs(newMean - mean);
            mean = newMean;
            sigma = Math.Max(newSigma, binWidth / 2);
            if (moved < 1e-4 * sigma)
            {
                break;
            }
        }

        if (entries < minPeakEntries || !double.IsFinite(mean) || !double.IsFinite(sigma) || mean <= edges[0] || mean >= edges[n])
        {
            return null;
        }

        // The DAQ integrates charge with the baseline subtracted, so the gain is the peak's mean
        // charge itself; the pedestal only marks where the SPE peak's window must stop.
        return mean > 0 ? new SpeFit(mean, sigma / Math.Sqrt(entries), mean, sigma, pedestalMean, entries, iterations + 1) : null;
    }

    private static (double Mean, double Sigma)? FitWindow(double[] x, double[] y, double low, double high, out long entries)
    {
        // Normal equations of ln y = a + b u + c u², u = x - centre (centred for conditioning).
        var centre = (low + high) / 2;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
        double m0 = 0, m1 = 0, m2 = 0;
        var bins = 0;
        entries = 0;
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] < low || x[i] > high || y[i] <= 0)
            {
                continue;
            }

            var u = x[i] - centre;
            var w = y[i];
            var l = Math.Log(y[i]);
            s0 += w;
            s1 += w * u;
            s2 += w * u * u;
            s3 += w * u * u * u;
            s4 += w * u * u * u * u;
            t0 += w * l;
            t1 += w * l * u;
            t2 += w * l * u * u;
            m0 += y[i];
            m1 += y[i] * u;
            m2 += y[i] * u * u;
            entries += (long)y[i];
            bins++;
        }

        if (bins < 3 || m0 <= 0)
        {
            return null;
        }

        if (bins >= 4 && Solve3(s0, s1, s2, s1, s2, s3, s2, s3, s4, t0, t1, t2) is { } solution && solution.C < 0)
        {
            var mean = centre - (solution.B / (2 * solution.C));
            var sigma = Math.Sqrt(-1 / (2 * solution.C));
            if (double.IsFinite(mean) && double.IsFinite(sigma) && mean > low - (high - low) && mean < high + (high - low))
            {
                return (mean, sigma);
            }
        }

        // Too few counts for a curvature: moments of the window.
        var momentMean = m1 / m0;
        var variance = Math.Max((m2 / m0) - (momentMean * momentMean), 0);
        return (centre + momentMean, Math.Sqrt(variance));
    }

    private static (double A, double B, double C)? Solve3(
        double a11, double a12, double a13, double a21, double a22, double a23, double a31, double a32, double a33,
        double b1, double b2, double b3)
    {
        var det = (a11 * ((a22 * a33) - (a23 * a32))) - (a12 * ((a21 * a33) - (a23 * a31))) + (a13 * ((a21 * a32) - (a22 * a31)));
        if (Math.Abs(det) < 1e-300 || !double.IsFinite(det))
        {
            return null;
        }

        var da = (b1 * ((a22 * a33) - (a23 * a32))) - (a12 * ((b2 * a33) - (a23 * b3))) + (a13 * ((b2 * a32) - (a22 * b3)));
        var db = (a11 * ((b2 * a33) - (a23 * b3))) - (b1 * ((a21 * a33) - (a23 * a31))) + (a13 * ((a21 * b3) - (b2 * a31)));
        var dc = (a11 * ((a22 * b3) - (b2 * a32))) - (a12 * ((a21 * b3) - (b2 * a31))) + (b1 * ((a21 * a32) - (a22 * a31)));
        return (da / det, db / det, dc / det);
    }

    private static double[] Smooth(double[] y, int halfWidth)
    {
        var smooth = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            double sum = 0;
            var count = 0;
            for (var j = Math.Max(0, i - halfWidth); j <= Math.Min(y.Length - 1, i + halfWidth); j++)
            {
                sum += y[j];
                count++;
            }

            smooth[i] = sum / count;
        }

        return smooth;
    }

    /// <summary>Indices of local maxima that stand out from their surroundings by more than noise, left to right.</summary>
    private static List<int> ProminentPeaks(double[] smooth, int halfWidth)
    {
        var max = smooth.Max();
        var peaks = new List<int>();
        for (var i = 0; i < smooth.Length; i++)
        {
            var left = i == 0 ? double.NegativeInfinity : smooth[i - 1];
            var right = i == smooth.Length - 1 ? double.NegativeInfinity : smooth[i + 1];
            if (!(smooth[i] > left && smooth[i] >= right) || smooth[i] <= 0)
            {
                continue;
            }

            // Prominence: the drop to the higher of the two lowest points before a higher peak on either side.
            var leftMin = smooth[i];
            for (var j = i - 1; j >= 0 && smooth[j] <= smooth[i]; j--)
            {
                leftMin = Math.Min(leftMin, smooth[j]);
            }

            var rightMin = smooth[i];
            for (var j = i + 1; j < smooth.Length && smooth[j] <= smooth[i]; j++)
            {
                rightMin = Math.Min(rightMin, smooth[j]);
            }

            // A peak at the lower edge has nothing on its left to stand above.
            var baseLevel = i == 0 ? rightMin : Math.Max(leftMin, rightMin);
            var prominence = smooth[i] - baseLevel;
            var noise = Math.Sqrt(smooth[i] / ((2 * halfWidth) + 1));
            if (prominence > Math.Max(4 * noise, 0.005 * max))
            {
                peaks.Add(i);
            }
        }

        return peaks;
    }

    private static double InitialSigma(double[] x, double[] smooth, int peak, double floor)
    {
        var half = smooth[peak] / 2;
        var left = peak;
        while (left > 0 && smooth[left] > half && x[left - 1] >= floor)
        {
            left--;
        }

        var right = peak;
        while (right < smooth.Length - 1 && smooth[right] > half)
        {
            right++;
        }

        // Twice the narrower half-width: the other side may run into the pedestal or the 2 PE peak.
        var halfWidth = Math.Min(x[peak] - x[left], x[right] - x[peak]);
        var binWidth = x.Length > 1 ? x[1] - x[0] : 1;
        return Math.Max(halfWidth / 1.1774, binWidth);
    }

    private static double Centroid(double[] x, double[] y, int from, int to)
    {
        double sum = 0, weighted = 0;
        for (var i = from; i <= to; i++)
        {
            sum += y[i];
            weighted += y[i] * x[i];
        }

        return sum > 0 ? weighted / sum : 0;
    }
}
