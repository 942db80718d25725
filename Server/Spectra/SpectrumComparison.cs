namespace Clovers.Monitor.Server.Spectra;

/// <summary>χ² of two spectra's shapes: the statistic, its degrees of freedom and the probability of a larger one.</summary>
public sealed record ShapeComparison(double Chi2, int Ndf, double PValue)
{
    public double Chi2PerNdf => Ndf > 0 ? Chi2 / Ndf : 0;
}

/// <summary>
/// Compares the shape of two histograms of raw counts with the two-sample χ² test for
/// unnormalised histograms (Gagunashvili; ROOT's <c>Chi2Test("UU")</c>):
/// χ² = Σ (B·aᵢ − A·bᵢ)² / (A·B·(aᵢ + bᵢ)) over bins with counts, A and B the totals,
/// ndf = bins − 1. The normalisation drops out, so a spectrum can be compared with a reference
/// of any exposure.
/// </summary>
public static class SpectrumComparison
{
    public static ShapeComparison? Compare(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            return null;
        }

        double totalA = 0, totalB = 0;
        for (var i = 0; i < a.Count; i++)
        {
            totalA += a[i];
            totalB += b[i];
        }

        if (totalA <= 0 || totalB <= 0)
        {
            return null;
        }

        double chi2 = 0;
        var bins = 0;
        for (var i = 0; i < a.Count; i++)
        {
            var sum = a[i] + b[i];
            if (sum <= 0)
            {
                continue;
            }

            var difference = (totalB * a[i]) - (totalA * b[i]);
            chi2 += difference * difference / (totalA * totalB * sum);
            bins++;
        }

        var ndf = bins - 1;
        return ndf < 1 ? null : new ShapeComparison(chi2, ndf, UpperRegularizedGamma(ndf / 2.0, chi2 / 2));
    }

    /// <summary>Q(s, x) = Γ(s, x) / Γ(s): the χ² survival function at 2x with 2s degrees of freedom.</summary>
    public static double UpperRegularizedGamma(double s, double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        var logPrefix = (s * Math.Log(x)) - x - LogGamma(s);
        if (x < s + 1)
        {
            // Series for the lower function P, then Q = 1 − P.
            double term = 1 / s, sum = term;
            for (var k = 1; k < 1000; k++)
            {
                term *= x / (s + k);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-15)
                {
                    break;
                }
            }

            return Math.Clamp(1 - (sum * Math.Exp(logPrefix)), 0, 1);
        }

        // Continued fraction for Q (modified Lentz).
        const double tiny = 1e-300;
        var b = x + 1 - s;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 1000; i++)
        {
            var an = -i * (i - s);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return Math.Clamp(Math.Exp(logPrefix) * h, 0, 1);
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7).</summary>
    public static double LogGamma(double x)
    {
        double[] coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
