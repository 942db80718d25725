namespace Clovers.Monitor.Client.Trends;

/// <summary>
/// Points of one channel as the chart takes them. The mean line has its own x column, where a
/// null y marks a gap and the line breaks. The min/max band has a second x column without those
/// gap markers: Plotly's <c>fill: tonexty</c> joins the segments of a broken trace into one
/// polygon and smears it across the plot, so the band bridges a gap while the mean shows it.
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

    public void AddGap(string x)
    {
        X.Add(x);
        Mean.Add(null);
    }
}
