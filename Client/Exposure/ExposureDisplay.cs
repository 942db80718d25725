using System.Globalization;
using Clovers.Monitor.Client.Formatting;
using Clovers.Monitor.Shared.Api;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Clovers.Monitor.Client.Exposure;

/// <summary>How the exposure report reads on screen, and the significance-growth chart.</summary>
public static class ExposureDisplay
{
    /// <summary>Protons on target in scientific notation, the way physicists quote them: 4.72 × 10¹⁹.</summary>
    public static string Protons(double protons)
    {
        if (!double.IsFinite(protons) || protons <= 0)
        {
            return "0";
        }

        var exponent = (int)Math.Floor(Math.Log10(protons));
        var mantissa = protons / Math.Pow(10, exponent);
        if (mantissa >= 9.995)
        {
            mantissa /= 10;
            exponent++;
        }

        return FormattableString.Invariant($"{mantissa:0.00} × 10{Superscript(exponent)}");
    }

    public static string Number(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : DisplayFormat.Missing;

    public static string Sigma(double sigma) =>
        double.IsFinite(sigma) ? sigma.ToString("0.00", CultureInfo.InvariantCulture) + " σ" : DisplayFormat.Missing;

    public static string Date(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>What a shifter reads for a milestone: reached on a date, expected on a date, or not while the beam is off.</summary>
    public static string Milestone(SignificanceMilestone milestone, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        if (milestone.Reached)
        {
            return milestone.At is { } reached ? $"reached on {Date(reached, zone)}" : "reached";
        }

        if (milestone.At is not { } at)
        {
            return "no date while the beam is off";
        }

        var days = (at - now).TotalDays;
        var wait = days < 1 ? "within a day" : FormattableString.Invariant($"in {days:0} days");
        return $"expected {Date(at, zone)} ({wait})";
    }

    public static string MilestoneName(double sigma) => sigma switch
    {
        >= 5 => "5 σ (observation)",
        >= 3 => "3 σ (evidence)",
        _ => Sigma(sigma),
    };

    public static IList<ITrace> Traces(ExposureReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            new Scatter
            {
                Name = "accumulated so far",
                Mode = ModeFlag.Lines,
                Line = new Line { Width = 2.5m, Color = "#1f77b4" },
                X = [.. report.Accumulated.Select(p => (object)p.At.UtcDateTime)],
                Y = [.. report.Accumulated.Select(p => (object)p.Significance)],
            },
            new Scatter
            {
                Name = FormattableString.Invariant($"projected at {report.RecentAverageKilowatts:0} kW"),
                Mode = ModeFlag.Lines,
                Line = new Line { Width = 2, Color = "#ff7f0e", Dash = "dash" },
                X = [.. report.Projected.Select(p => (object)p.At.UtcDateTime)],
                Y = [.. report.Projected.Select(p => (object)p.Significance)],
            },
        ];
    }

    public static Plotly.Blazor.Layout Layout() => new()
    {
        Margin = new Margin { L = 56, R = 24, T = 16, B = 40 },
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H }],
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date, Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "Date (UTC)" } }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "Significance N_s/√(N_s+N_b) [σ]" }, RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero }],
        Shapes =
        [
            Threshold(3, "#2ca02c"),
            Threshold(5, "#d62728"),
        ],
    };

    private static Shape Threshold(double sigma, string color) => new()
    {
        Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line,
        XRef = "paper",
        X0 = 0,
        X1 = 1,
        YRef = "y",
        Y0 = sigma,
        Y1 = sigma,
        Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = color, Dash = "dot", Width = 1 },
    };

    private static string Superscript(int exponent)
    {
        const string Digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var text = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        var superscript = string.Concat(text.Select(c => Digits[c - '0']));
        return exponent < 0 ? "⁻" + superscript : superscript;
    }
}
