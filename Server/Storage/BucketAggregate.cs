namespace Clovers.Monitor.Server.Storage;

/// <summary>Running min, max, sum, count and last value of the readings that fall in one bucket.</summary>
internal sealed class BucketAggregate
{
    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public double Sum { get; private set; }

    public long Count { get; private set; }

    public long LastTs { get; private set; } = long.MinValue;

    public double LastValue { get; private set; }

    public void Add(long ts, double value)
    {
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
        Sum += value;
        Count++;
        if (ts >= LastTs)
        {
            LastTs = ts;
            LastValue = value;
        }
    }

    public void Add(BucketAggregate other)
    {
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Sum += other.Sum;
        Count += other.Count;
        if (other.LastTs >= LastTs)
        {
            LastTs = other.LastTs;
            LastValue = other.LastValue;
        }
    }
}
