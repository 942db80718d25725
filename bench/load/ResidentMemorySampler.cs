using System.Diagnostics;
using System.Globalization;

namespace Clovers.Monitor.Load;

/// <summary>
/// Samples a process's resident set (VmRSS of /proc/{pid}/status) once a second while it runs,
/// and tells how it grew: the least-squares slope over the second half of the run, once
/// start-up and warm-up are behind.
/// </summary>
public sealed class ResidentMemorySampler : IAsyncDisposable
{
    private readonly int _processId;
    private readonly List<(double Seconds, double Megabytes)> _samples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;

    public ResidentMemorySampler(int processId, TimeSpan period)
    {
        _processId = processId;
        _loop = SampleAsync(period, _stop.Token);
    }

    public IReadOnlyList<(double Seconds, double Megabytes)> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    public double PeakMegabytes => Samples.Select(s => s.Megabytes).DefaultIfEmpty(double.NaN).Max();

    /// <summary>The resident set of the process now, in MiB, or NaN when it cannot be read.</summary>
    public static double ReadMegabytes(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kilobytes / 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }

    /// <summary>Growth in MiB per minute over the second half of the samples (least squares).</summary>
    public double GrowthMegabytesPerMinute()
    {
        var samples = Samples;
        var half = samples.Skip(samples.Count / 2).Where(s => !double.IsNaN(s.Megabytes)).ToArray();
        if (half.Length < 3)
        {
            return double.NaN;
        }

        var meanX = half.Average(s => s.Seconds);
        var meanY = half.Average(s => s.Megabytes);
        var covariance = half.Sum(s => (s.Seconds - meanX) * (s.Megabytes - meanY));
        var variance = half.Sum(s => (s.Seconds - meanX) * (s.Seconds - meanX));
        return variance == 0 ? 0 : covariance / variance * 60;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task SampleAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                var megabytes = ReadMegabytes(_processId);
                lock (_gate)
                {
                    _samples.Add((_clock.Elapsed.TotalSeconds, megabytes));
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
