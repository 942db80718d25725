namespace Clovers.Monitor.Client.Trends;

/// <summary>
/// Points of one channel as the chart takes them. The mean line has its own x column, where a
/// null y marks a gap and the line breaks. Each bucket's min and max are drawn as a vertical
/// stroke (see <see cref="RangeStrokes"/>): a filled band between two traces would be joined
/// across gaps by Plotly's <c>tonexty</c> fill, while separate strokes leave a gap empty and
/// show every spike at its own bucket.
/// </summary>
public sealed class TrendPoints
{
    public List<object?> X { get; } = [];

    public List<object?> Mean { get; } = [];

    public List<object?> BandX { get; } = [];

    public List<object?> Min { get; } = [];

    public List<object?> Max { get; } = [];

    public int Count => X.Count;

    public void Add(string x, double? min, double? max, double? mean)
    {
        X.Add(x);
        Mean.Add(mean);
        BandX.Add(x);
        Min.Add(min);
        Max.Add(max);
    }

    /// <summary>
    /// The min–max strokes as one trace: for each bucket the points (x, min) and (x, max) and a
    /// null that lifts the pen, so that appending more buckets only appends more points.
    /// </summary>
    public (List<object?> X, List<object?> Y) RangeStrokes()
    {
        var x = new List<object?>(BandX.Count * 3);
        var y = new List<object?>(BandX.Count * 3);
        for (var i = 0; i < BandX.Count; i++)
        {
            x.Add(BandX[i]);
            x.Add(BandX[i]);
            x.Add(null);
            y.Add(Min[i]);
            y.Add(Max[i]);
            y.Add(null);
        }

        return (x, y);
    }

    public void AddGap(string x)
    {
        X.Add(x);
        Mean.Add(null);
    }
}
