using Clovers.Monitor.Shared.Alarms;
namespace Clovers.Monitor.Server.Alarms.Evaluation;

/// <summary>
/// The median of a channel's recent history, kept as the means of a fixed number of time buckets
/// (96 buckets of 15 min for a 24 h window): bounded memory at any rate, and a fault that lasts
/// less than half the window cannot drag its own baseline along.
/// </summary>
internal sealed class BucketedMedian
{
    private readonly long _bucketTicks;
    private readonly long[] _index;
    private readonly double[] _sum;
    private readonly int[] _n;
    private readonly double[] _scratch;
    private int _oldest;
    private int _count;
    private double? _median;
    private bool _medianValid;

    public BucketedMedian(TimeSpan window, int buckets)
    {
        _bucketTicks = Math.Max(1, window.Ticks / buckets);

        // One more slot than the window holds: the bucket being filled is not part of the median.
        var slots = buckets + 1;
        _index = new long[slots];
        _sum = new double[slots];
        _n = new int[slots];
        _scratch = new double[slots];
    }

    public void Add(DateTimeOffset at, double value)
    {
        var index = at.UtcTicks / _bucketTicks;
        if (_count > 0)
        {
            var newest = (_oldest + _count - 1) % _index.Length;
            if (index < _index[newest])
            {
                return;
            }

            if (index == _index[newest])
            {
                _sum[newest] += value;
                _n[newest]++;
                return;
            }

            while (_count > 0 && _index[_oldest] < index - (_index.Length - 1))
            {
                _oldest = (_oldest + 1) % _index.Length;
                _count--;
            }
        }

        if (_count == _index.Length)
        {
            _oldest = (_oldest + 1) % _index.Length;
            _count--;
        }

        var slot = (_oldest + _count) % _index.Length;
        _index[slot] = index;
        _sum[slot] = value;
        _n[slot] = 1;
        _count++;
        _medianValid = false;
    }

    /// <summary>Median of the completed buckets' means; null until one bucket is complete.</summary>
    public double? Median
    {
        get
        {
            if (!_medianValid)
            {
                _median = Compute();
                _medianValid = true;
            }

            return _median;
        }
    }

    private double? Compute()
    {
        var completed = _count - 1;
        if (completed <= 0)
        {
            return null;
        }

        for (var i = 0; i < completed; i++)
        {
            var slot = (_oldest + i) % _index.Length;
            _scratch[i] = _sum[slot] / _n[slot];
        }

        var values = _scratch.AsSpan(0, completed);
        values.Sort();
        var middle = completed / 2;
        return completed % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
