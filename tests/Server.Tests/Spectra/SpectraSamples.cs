using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Spectra;

/// <summary>Synthetic DAQ messages and spectra with known parameters.</summary>
internal static class SpectraSamples
{
    public const string DaqId = "daq-test";

    public static readonly DateTimeOffset RunStart = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);

    public static double[] Edges(double low, double high, int bins) =>
        [.. Enumerable.Range(0, bins + 1).Select(i => low + ((high - low) * i / bins))];

    public static Histogram Npe(int subDetector, DaqWindow window, long[] counts) =>
        new(HistogramKeys.Npe(subDetector, window), HistogramKind.Npe, subDetector, window, null, HistogramKeys.NpeUnit, Edges(0, counts.Length, counts.Length), counts);

    public static Histogram Spe(string pmt, long[] counts) =>
        new(HistogramKeys.Spe(pmt), HistogramKind.SpeCharge, pmt[2] - '0', null, pmt, HistogramKeys.ChargeUnit, Edges(-0.5, 5.5, counts.Length), counts);

    public static HistogramSet Set(long run, long seq, params Histogram[] histograms) =>
        new(ProtocolRules.SchemaVersion, DaqId, run, seq, RunStart.AddSeconds(seq), RunStart, seq * 25, seq * 0.99, seq * 2.18e13, histograms);

    /// <summary>All eight NPE histograms with <paramref name="scale"/> times a falling spectrum.</summary>
    public static Histogram[] AllNpe(long scale, int bins = 100) =>
    [
        .. Enumerable.Range(1, 4).SelectMany(sd => new[]
        {
            Npe(sd, DaqWindow.Signal, [.. Enumerable.Range(0, bins).Select(i => scale * (1 + (100 / (i + 1))))]),
            Npe(sd, DaqWindow.Pretrace, [.. Enumerable.Range(0, bins).Select(i => scale * (1 + (300 / (i + 1))))]),
        }),
    ];

    public static string Json(HistogramSet set) => JsonSerializer.Serialize(set, ProtocolJsonContext.Default.HistogramSet);

    public static string Json(DaqStatusMessage status) => JsonSerializer.Serialize(status, ProtocolJsonContext.Default.DaqStatusMessage);

    public static DaqStatusMessage Status(DateTimeOffset at, double triggerRate = 25) =>
        new(ProtocolRules.SchemaVersion, DaqId, at, 7, DaqRunState.Running, triggerRate, 0.987, 12.5) { HeartbeatSeconds = 2, Version = "test" };

    /// <summary>
    /// A PMT charge spectrum over [-0.5, 5.5] pC in 200 bins: a pedestal at 0 pC of width
    /// <paramref name="pedestalSigma"/>, the SPE peak at <paramref name="gain"/> with 35 % resolution,
    /// a 2 PE peak and an under-amplified exponential, with Poisson noise.
    /// </summary>
    public static long[] SpeSpectrum(double gain, long speEntries, long pedestalEntries, double pedestalSigma = 0.05, int seed = 1, int bins = 200)
    {
        var random = new Random(seed);
        var edges = Edges(-0.5, 5.5, bins);
        var counts = new long[bins];
        var sigma1 = 0.35 * gain;
        for (var i = 0; i < bins; i++)
        {
            var x = (edges[i] + edges[i + 1]) / 2;
            var width = edges[i + 1] - edges[i];
            var expected =
                (pedestalEntries * Gauss(x, 0, pedestalSigma) * width)
                + (speEntries * 0.75 * Gauss(x, gain, sigma1) * width)
                + (speEntries * 0.10 * Gauss(x, 2 * gain, sigma1 * Math.Sqrt(2)) * width)
                + (x > 0 ? speEntries * 0.15 * Math.Exp(-x / (0.3 * gain)) / (0.3 * gain) * width : 0);
            counts[i] = Poisson(random, expected);
        }

        return counts;
    }

    private static double Gauss(double x, double mean, double sigma) =>
        Math.Exp(-0.5 * Math.Pow((x - mean) / sigma, 2)) / (sigma * Math.Sqrt(2 * Math.PI));

    private static long Poisson(Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 50)
        {
            // Box–Muller normal approximation.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, (long)Math.Round(mean + (z * Math.Sqrt(mean))));
        }

        var limit = Math.Exp(-mean);
        long k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= random.NextDouble();
        }
        while (p > limit);
        return k - 1;
    }
}
