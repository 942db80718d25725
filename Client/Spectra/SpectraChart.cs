using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Clovers.Monitor.Client.Spectra;

/// <summary>
/// Plotly traces and layout of one sub-detector's panel. Four traces in a fixed order, so live
/// updates address them by index: signal, pretrace, and the reference of each scaled to the
/// current run's exposure. The analysis region (4–72 NPE) is a shaded band behind them.
/// </summary>
public static class SpectraChart
{
    public const int SignalTrace = 0;
    public const int PretraceTrace = 1;
    public const int ReferenceSignalTrace = 2;
    public const int ReferencePretraceTrace = 3;

    private const string SignalColor = "#1f77b4";
    private const string PretraceColor = "#ff7f0e";

    public static List<ITrace> EmptyTraces() =>
    [
        Trace("signal", SignalColor, null),
        Trace("pretrace", PretraceColor, null),
        Trace("reference signal", SignalColor, "dot"),
        Trace("reference pretrace", PretraceColor, "dot"),
    ];

    /// <summary>Puts a histogram's counts (times <paramref name="scale"/>) into a trace, at the bin centres.</summary>
    public static void Fill(ITrace trace, IReadOnlyList<double>? edges, IReadOnlyList<long>? counts, double scale = 1)
    {
        var scatter = (Scatter)trace;
        if (edges is null || counts is null || edges.Count != counts.Count + 1)
        {
            scatter.X = [];
            scatter.Y = [];
            return;
        }

        scatter.X = [.. Enumerable.Range(0, counts.Count).Select(i => (object)((edges[i] + edges[i + 1]) / 2))];
        scatter.Y = [.. counts.Select(c => (object)(c * scale))];
    }

    /// <summary>
    /// The factor that brings a reference to the current run's exposure: protons on target for the
    /// signal window (beam neutrons and CEvNS scale with them), livetime for the pretrace (dark
    /// counts and afterglow do not depend on the beam). Null when the reference has no exposure.
    /// </summary>
    public static double? ReferenceScale(SpectrumSummary current, SpectrumSummary reference)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(reference);
        return current.Window == DaqWindow.Signal
            ? reference.ProtonsOnTarget > 0 ? current.ProtonsOnTarget / reference.ProtonsOnTarget : null
            : reference.LivetimeSeconds > 0 ? current.LivetimeSeconds / reference.LivetimeSeconds : null;
    }

    public static Plotly.Blazor.Layout Layout(int subDetector, bool logarithmic)
    {
        var layout = new Plotly.Blazor.Layout
        {
            // A fixed revision keeps the user's zoom across live updates.
            UiRevision = $"spectrum-sd{subDetector}",
            Height = 300,
            Margin = new Margin { L = 56, R = 16, T = 32, B = 40 },
            Title = new Title { Text = $"Sub-detector {subDetector}" },
            Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H }],
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "NPE" } }],
            Shapes =
            [
                new Shape
                {
                    Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Rect,
                    XRef = "x",
                    YRef = "paper",
                    X0 = SpectraRoutes.RoiLowNpe,
                    X1 = SpectraRoutes.RoiHighNpe,
                    Y0 = 0,
                    Y1 = 1,
                    FillColor = "rgba(44,160,44,0.12)",
                    Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Below,
                    Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Width = 0 },
                },
            ],
        };
        SetScale(layout, logarithmic);
        return layout;
    }

    /// <summary>Changes the y axis in place: the chart holds on to the layout object it was given.</summary>
    public static void SetScale(Plotly.Blazor.Layout layout, bool logarithmic)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.YAxis =
        [
            new YAxis
            {
                Type = logarithmic ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log : Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear,
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "events / bin" },
            },
        ];
    }

    private static Scatter Trace(string name, string color, string? dash) => new()
    {
        Name = name,
        Mode = ModeFlag.Lines,
        Line = new Line { Color = color, Width = dash is null ? 1.5m : 1, Dash = dash, Shape = Plotly.Blazor.Traces.ScatterLib.LineLib.ShapeEnum.Hvh },
        X = [],
        Y = [],
    };
}
