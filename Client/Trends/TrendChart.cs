using System.Globalization;
using Clovers.Monitor.Shared.Api;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Clovers.Monitor.Client.Trends;

/// <summary>What a channel contributes to the chart besides its points.</summary>
public sealed record TrendChannel(string Id, string Unit, string Description);

/// <summary>
/// Plotly traces and layout of the Trends chart. Each channel gets two traces in this order:
/// its min–max strokes (translucent, one per bucket, so spikes survive any zoom and gaps stay
/// empty) and its mean line. Live appends address them by <see cref="TraceIndices"/>.
/// </summary>
public static class TrendChart
{
    public const int TracesPerChannel = 2;

    /// <summary>Points a bucket takes in the range trace: bottom, top and a pen lift.</summary>
    public const int RangePointsPerBucket = 3;

    private static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    public static int RangeTraceIndex(int channelIndex) => channelIndex * TracesPerChannel;

    public static int MeanTraceIndex(int channelIndex) => (channelIndex * TracesPerChannel) + 1;

    /// <summary>
    /// Units in order of first appearance. The second gets the right axis; every other unit shares
    /// the left one, whose title then names them all.
    /// </summary>
    public static IReadOnlyList<string> AxisUnits(IEnumerable<TrendChannel> channels) =>
        channels.Select(static c => c.Unit).Distinct(StringComparer.Ordinal).ToList();

    public static string LeftAxisTitle(IReadOnlyList<string> axisUnits) =>
        string.Join(", ", axisUnits.Where((_, index) => index != 1));

    public static IEnumerable<ITrace> Traces(int channelIndex, TrendChannel channel, TrendPoints points, IReadOnlyList<string> axisUnits)
    {
        var color = Palette[channelIndex % Palette.Length];
        var axis = axisUnits.Count > 1 && string.Equals(axisUnits[1], channel.Unit, StringComparison.Ordinal) ? "y2" : "y";
        var label = string.IsNullOrEmpty(channel.Unit) ? channel.Id : $"{channel.Id} ({channel.Unit})";

        var (rangeX, rangeY) = points.RangeStrokes();
        yield return new Scatter
        {
            Name = $"{channel.Id} min–max",
            LegendGroup = channel.Id,
            ShowLegend = false,
            Mode = ModeFlag.Lines,
            Line = new Line { Width = 2, Color = Translucent(color) },
            ConnectGaps = false,
            YAxis = axis,
            X = rangeX,
            Y = rangeY,
        };
        yield return new Scatter
        {
            Name = label,
            LegendGroup = channel.Id,
            Mode = ModeFlag.Lines,
            Line = new Line { Width = 1.5m, Color = color },
            ConnectGaps = false,
            YAxis = axis,
            X = [.. points.X],
            Y = [.. points.Mean],
        };
    }

    /// <summary>
    /// Replaces <paramref name="traces"/> with those of the histories (channel i describes history i)
    /// and sets the axes of <paramref name="layout"/> for their units; returns the histories' series,
    /// in the same order, for pages that append live updates.
    /// </summary>
    public static IReadOnlyList<TrendSeries> Draw(
        List<ITrace> traces,
        Plotly.Blazor.Layout layout,
        IReadOnlyList<ChannelHistory> histories,
        IReadOnlyList<TrendChannel> channels,
        TimeZoneInfo timeZone,
        string timeAxisTitle)
    {
        ArgumentNullException.ThrowIfNull(traces);
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(channels);
        var axisUnits = AxisUnits(channels);
        var series = new List<TrendSeries>(histories.Count);
        traces.Clear();
        for (var i = 0; i < histories.Count; i++)
        {
            series.Add(TrendSeries.FromHistory(histories[i], timeZone, out var points));
            traces.AddRange(Traces(i, channels[i], points, axisUnits));
        }

        SetAxes(layout, axisUnits, timeAxisTitle);
        return series;
    }

    public static Plotly.Blazor.Layout Layout(IReadOnlyList<string> axisUnits, string timeAxisTitle)
    {
        var layout = new Plotly.Blazor.Layout
        {
            // A fixed revision keeps the user's zoom when traces are appended or reloaded.
            UiRevision = "trends",
            HoverMode = HoverModeEnum.X,
            Margin = new Margin { L = 56, R = 56, T = 16, B = 40 },
            Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H }],
        };
        SetAxes(layout, axisUnits, timeAxisTitle);
        return layout;
    }

    /// <summary>Changes the axes in place: the chart holds on to the layout object it was given.</summary>
    public static void SetAxes(Plotly.Blazor.Layout layout, IReadOnlyList<string> axisUnits, string timeAxisTitle)
    {
        var yAxes = new List<YAxis>
        {
            new() { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = LeftAxisTitle(axisUnits) } },
        };
        if (axisUnits.Count > 1)
        {
            yAxes.Add(new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = axisUnits[1] },
                Overlaying = "y",
                Side = Plotly.Blazor.LayoutLib.YAxisLib.SideEnum.Right,
            });
        }

        layout.YAxis = yAxes;
        layout.XAxis =
        [
            new XAxis
            {
                Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date,
                Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = timeAxisTitle },
            },
        ];
    }

    public static Config Config() => new()
    {
        Responsive = true,
        DisplayLogo = false,
    };

    private static string Translucent(string hexColor)
    {
        var r = int.Parse(hexColor.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var g = int.Parse(hexColor.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var b = int.Parse(hexColor.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return FormattableString.Invariant($"rgba({r},{g},{b},0.35)");
    }
}
