namespace Clovers.Monitor.Client.Trends;

/// <summary>
/// Points of one channel as the chart takes them: one x per point and three y columns (min, max,
/// mean). A null y is a gap: the chart draws no line across it.
/// </summary>
public sealed class TrendPoints
{
    public List<object?> X { get; } = [];

    public List<object?> Min { get; } = [];

    public List<object?> Max { get; } = [];

    public List<object?> Mean { get; } = [];

    public int Count => X.Count;

    public void Add(string x, double? min, double? max, double? mean)
    {
        X.Add(x);
        Min.Add(min);
        Max.Add(max);
        Mean.Add(mean);
    }

    public void AddGap(string x) => Add(x, null, null, null);
}
