using Clovers.Monitor.Client.Exposure;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Tests.Exposure;

public sealed class ExposureDisplayTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(4.7186e19, "4.72 × 10¹⁹")]
    [InlineData(9.999e20, "1.00 × 10²¹")]
    [InlineData(1.26e16, "1.26 × 10¹⁶")]
    [InlineData(0, "0")]
    public void Protons_Value_ReadsInScientificNotation(double protons, string expected)
    {
        Assert.Equal(expected, ExposureDisplay.Protons(protons));
    }

    [Fact]
    public void Milestone_DueWithinHours_SaysWithinADay()
    {
        var text = ExposureDisplay.Milestone(new SignificanceMilestone(3, false, s_now.AddHours(5)), s_now, TimeZoneInfo.Utc);

        Assert.Equal("expected 2026-11-26 (within a day)", text);
    }

    [Fact]
    public void Traces_Report_AreTheAccumulatedCurveAndTheProjection()
    {
        var report = new ExposureReport(
            s_now.AddDays(-1), s_now, 12, 4.7e19, 1, 12, 0.9, 3.7, 0.9, 0.04, 4.6, 0.38, 140, 7,
            [new SignificanceMilestone(3, false, s_now.AddDays(62)), new SignificanceMilestone(5, false, s_now.AddDays(174))],
            [new SignificancePoint(s_now.AddDays(-1), 0), new SignificancePoint(s_now, 0.38)],
            [new SignificancePoint(s_now, 0.38), new SignificancePoint(s_now.AddDays(174), 5)]);

        var traces = ExposureDisplay.Traces(report).Cast<Plotly.Blazor.Traces.Scatter>().ToList();

        Assert.Equal(["accumulated so far", "projected at 140 kW"], traces.Select(t => t.Name));
        Assert.Equal(5.0, traces[1].Y[^1]);
    }
}
