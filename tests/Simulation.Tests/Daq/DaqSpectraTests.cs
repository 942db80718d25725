using Clovers.Monitor.Simulation.Daq;

namespace Clovers.Monitor.Simulation.Tests.Daq;

/// <summary>The shapes against the proposal's description of its spectrum, at the proposal's totals.</summary>
public sealed class DaqSpectraTests
{
    private static readonly double[] s_edges = DaqSpectra.Edges(200, 1);

    private static double Mean(DaqComponent component, double total, int bin) => DaqSpectra.SignalShape(component, s_edges)[bin] * total;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void SignalShape_BelowFiveNpe_DarkCountsDominate(int bin)
    {
        var dark = Mean(DaqComponent.DarkCounts, 160, bin);

        Assert.True(dark > Mean(DaqComponent.BeamNeutrons, 666, bin) + Mean(DaqComponent.Cevns, 160, bin), $"bin {bin}: {dark} dark counts");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(30)]
    [InlineData(70)]
    public void SignalShape_AboveSevenNpe_BeamNeutronsDominate(int bin)
    {
        var neutrons = Mean(DaqComponent.BeamNeutrons, 666, bin);

        Assert.True(neutrons > Mean(DaqComponent.DarkCounts, 160, bin) + Mean(DaqComponent.Radioactive, 7, bin), $"bin {bin}: {neutrons} neutrons");
    }

    [Fact]
    public void SignalShape_Cevns_MostlyInsideTheAnalysisRegion()
    {
        var shape = DaqSpectra.SignalShape(DaqComponent.Cevns, s_edges);

        Assert.InRange(1 / shape.Sum(), 0.6, 0.9);
    }

    [Fact]
    public void SignalShape_Radioactive_IsFlat()
    {
        var shape = DaqSpectra.SignalShape(DaqComponent.Radioactive, s_edges);

        Assert.Equal(shape[5], shape[150], 12);
    }

    [Fact]
    public void SignalShape_EveryComponent_SumsToOneInsideTheAnalysisRegion()
    {
        Assert.All(Enum.GetValues<DaqComponent>(), c => Assert.Equal(1, DaqSpectra.SignalShape(c, s_edges)[4..72].Sum(), 9));
    }

    [Fact]
    public void PretraceDarkPerTrigger_111HertzPerPmt_OnePhotoElectronInAboutOneTriggerOfAHundred()
    {
        var perTrigger = DaqSpectra.PretraceDarkPerTrigger(s_edges, 111);

        Assert.Equal(2 * 111 * 40e-6, perTrigger[1], 0.0002);
    }
}
