using Clovers.Monitor.Shared.Alarms;
namespace Clovers.Monitor.Server.Alarms.Evaluation;

/// <summary>
/// Least-squares line through the readings of a sliding window, kept as sums per time bucket:
/// memory is the bucket count whatever the reading rate, and the fit is exact over every
/// reading still in the window (the window moves a bucket at a time). Times inside a bucket are
/// relative to the bucket's start, so sums stay small and precise however long the server runs.
/// </summary>
internal sealed class SlopeWindow
{
    private readonly Bucket[] _ring;
    private readonly long _bucketTicks;
    private readonly double _bucketHours;
    private int _oldest;
    private int _count;

    // Sums over the completed buckets, relative to the newest bucket's start; rebuilt when a bucket completes.
    private Sums _completed;
    private bool _completedValid;

    public SlopeWindow(TimeSpan window, int buckets)
    {
        _ring = new Bucket[buckets];
        _bucketTicks = Math.Max(1, window.Ticks / buckets);
        _bucketHours = (double)_bucketTicks / TimeSpan.TicksPerHour;
    }

    public void Add(DateTimeOffset at, double value)
    {
        var ticks = at.UtcTicks;
        var index = ticks / _bucketTicks;
        var t = (double)(ticks - (index * _bucketTicks)) / TimeSpan.TicksPerHour;
        if (_count > 0)
        {
            ref var newest = ref _ring[(_oldest + _count - 1) % _ring.Length];
            if (index < newest.Index)
            {
                // Out of order and a bucket late: the fit would need the past rewritten.
                return;
            }

            if (index == newest.Index)
            {
                newest.Add(t, value);
                return;
            }

            while (_count > 0 && _ring[_oldest].Index <= index - _ring.Length)
            {
                _oldest = (_oldest + 1) % _ring.Length;
                _count--;
            }
        }

        if (_count == _ring.Length)
        {
            _oldest = (_oldest + 1) % _ring.Length;
            _count--;
        }

        ref var fresh = ref _ring[(_oldest + _count) % _ring.Length];
        fresh = new Bucket { Index = index, FirstT = t };
        fresh.Add(t, value);
        _count++;
        _completedValid = false;
    }

    /// <summary>Slope per hour, the fitted value at the newest reading, and how long the readings span.</summary>
    public bool TryFit(out double slopePerHour, out double valueAtNewest, out TimeSpan span)
    {
        slopePerHour = 0;
        valueAtNewest = 0;
        span = TimeSpan.Zero;
        if (_count == 0)
        {
            return false;
        }

        var newest = _ring[(_oldest + _count - 1) % _ring.Length];
        if (!_completedValid)
        {
            _completed = default;
            for (var i = 0; i < _count - 1; i++)
            {
                var bucket = _ring[(_oldest + i) % _ring.Length];
                _completed.Add(bucket, (bucket.Index - newest.Index) * _bucketHours);
            }

            _completedValid = true;
        }

        var total = _completed;
        total.Add(newest, 0);
        var oldest = _ring[_oldest];
        var oldestT = ((oldest.Index - newest.Index) * _bucketHours) + oldest.FirstT;
        span = TimeSpan.FromHours(newest.LastT - oldestT);
        var n = total.N;
        var denominator = (n * total.Stt) - (total.St * total.St);
        if (n < 3 || denominator <= 0)
        {
            return false;
        }

        slopePerHour = ((n * total.Stv) - (total.St * total.Sv)) / denominator;
        valueAtNewest = (total.Sv / n) + (slopePerHour * (newest.LastT - (total.St / n)));
        return true;
    }

    private struct Bucket
    {
        public long Index;
        public double N;
        public double St;
        public double Sv;
        public double Stt;
        public double Stv;
        public double FirstT;
        public double LastT;

        public void Add(double t, double v)
        {
            N++;
            St += t;
            Sv += v;
            Stt += t * t;
            Stv += t * v;
            LastT = Math.Max(LastT, t);
        }
    }

    private struct Sums
    {
        public double N;
        public double St;
        public double Sv;
        public double Stt;
        public double Stv;

        // Shifting every time of a bucket by d: Σ(t+d) = St + n·d, Σ(t+d)² = Stt + 2d·St + n·d², Σ(t+d)v = Stv + d·Sv.
        public void Add(in Bucket b, double d)
        {
            N += b.N;
            St += b.St + (b.N * d);
            Sv += b.Sv;
            Stt += b.Stt + (2 * d * b.St) + (b.N * d * d);
            Stv += b.Stv + (d * b.Sv);
        }
    }
}
