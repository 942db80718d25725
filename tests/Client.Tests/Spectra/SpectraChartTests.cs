using Clovers.Monitor.Client.Spectra;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Plotly.Blazor.Traces;

namespace Clovers.Monitor.Client.Tests.Spectra;

public sealed class SpectraChartTests
{
    [Fact]
    public void ReferenceScale_SignalWindow_ScalesByProtonsOnTarget()
    {
        var current = Summary(DaqWindow.Signal, livetime: 100, pot: 2e18);
        var reference = Summary(DaqWindow.Signal, livetime: 50, pot: 8e18);

        Assert.Equal(0.25, SpectraChart.ReferenceScale(current, reference));
    }

    [Fact]
    public void ReferenceScale_PretraceWindow_ScalesByLivetime()
    {
        var current = Summary(DaqWindow.Pretrace, livetime: 100, pot: 2e18);
        var reference = Summary(DaqWindow.Pretrace, livetime: 50, pot: 8e18);

        Assert.Equal(2, SpectraChart.ReferenceScale(current, reference));
    }

    [Fact]
    public void ReferenceScale_ReferenceWithoutBeam_IsNull()
    {
        Assert.Null(SpectraChart.ReferenceScale(Summary(DaqWindow.Signal, 1, 1), Summary(DaqWindow.Signal, 1, 0)));
    }

    [Fact]
    public void Fill_Histogram_PutsScaledCountsAtBinCentres()
    {
        var trace = SpectraChart.EmptyTraces()[SpectraChart.SignalTrace];

        SpectraChart.Fill(trace, [0, 2, 4], [3, 5], scale: 2);

        var scatter = (Scatter)trace;
        Assert.Equal([1.0, 3.0], scatter.X.Cast<double>());
        Assert.Equal([6.0, 10.0], scatter.Y.Cast<double>());
    }

    [Fact]
    public void Layout_Always_ShadesTheAnalysisRegion()
    {
        var shape = Assert.Single(SpectraChart.Layout(1, logarithmic: false).Shapes);

        Assert.Equal(4.0, shape.X0);
        Assert.Equal(72.0, shape.X1);
    }

    private static SpectrumSummary Summary(DaqWindow window, double livetime, double pot) =>
        new("daq", HistogramKeys.Npe(1, window), HistogramKind.Npe, 1, window, null, "NPE", 1, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, livetime, pot, 0, 0, false);
}
