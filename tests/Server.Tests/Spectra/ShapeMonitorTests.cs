using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class ShapeMonitorTests : IDisposable
{
    private readonly TemporaryStateDatabase _temporary = new();
    private readonly DateTimeOffset _now = SpectraSamples.RunStart.AddHours(3);

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Check_NoReferenceSaved_PublishesNothing()
    {
        var (monitor, _) = await MonitorAsync();

        Assert.Empty(await monitor.CheckAsync(Spectra(scale: 100), _now, CancellationToken.None));
    }

    [Fact]
    public async Task Check_LastHourShapedLikeTheReference_PublishesSmallChi2PerSubDetector()
    {
        var (monitor, repository) = await MonitorAsync();
        await SaveReferenceAsync(repository, scale: 1000);
        await SnapshotAsync(repository, Spectra(scale: 50), _now.AddMinutes(-61));

        var readings = await monitor.CheckAsync(Spectra(scale: 150), _now, CancellationToken.None);

        Assert.Equal(4, readings.Count);
        Assert.All(readings, r => Assert.InRange(r.Value, 0, 1));
        Assert.Contains(readings, r => r.Channel == "daq.daq-test.sd2.shape_chi2");
    }

    [Fact]
    public async Task Check_LastHourWithAnExtraPeak_PublishesLargeChi2()
    {
        var (monitor, repository) = await MonitorAsync();
        await SaveReferenceAsync(repository, scale: 1000);
        await SnapshotAsync(repository, Spectra(scale: 50), _now.AddMinutes(-61));
        var now = Spectra(scale: 150, bump: 2_000);

        var readings = await monitor.CheckAsync(now, _now, CancellationToken.None);

        Assert.All(readings, r => Assert.True(r.Value > 3, $"{r.Channel} = {r.Value}"));
    }

    [Fact]
    public async Task Check_TwiceWithinTheInterval_ChecksOnce()
    {
        var (monitor, repository) = await MonitorAsync();
        await SaveReferenceAsync(repository, scale: 1000);

        await monitor.CheckAsync(Spectra(scale: 100), _now, CancellationToken.None);

        Assert.Empty(await monitor.CheckAsync(Spectra(scale: 100), _now.AddMinutes(1), CancellationToken.None));
    }

    private static DaqSpectra Spectra(long scale, long bump = 0)
    {
        var histograms = SpectraSamples.AllNpe(scale)
            .Select(h => bump == 0 ? h : h with { Counts = [.. h.Counts.Select((c, i) => i is >= 30 and < 35 ? c + bump : c)] })
            .ToArray();
        var set = SpectraSamples.Set(1, 1000, histograms);
        return new DaqSpectra(RunTotals.From(set), histograms.ToDictionary(h => h.Key, StringComparer.Ordinal));
    }

    private static Task SaveReferenceAsync(SpectraRepository repository, long scale)
    {
        var set = SpectraSamples.Set(0, 50, SpectraSamples.AllNpe(scale));
        return repository.SaveReferenceAsync("nominal", RunTotals.From(set), set.Histograms, "expert", SpectraSamples.RunStart, CancellationToken.None);
    }

    private static Task SnapshotAsync(SpectraRepository repository, DaqSpectra spectra, DateTimeOffset at) =>
        repository.WriteSnapshotAsync(spectra.Totals, spectra.Histograms.Values, at, CancellationToken.None);

    private async Task<(ShapeMonitor Monitor, SpectraRepository Repository)> MonitorAsync()
    {
        var database = _temporary.Open();
        await database.MigrateAsync();
        var repository = new SpectraRepository(database);
        return (new ShapeMonitor(repository, Options.Create(new SpectraOptions())), repository);
    }
}
