using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class SpectraRepositoryTests : IDisposable
{
    private readonly TemporaryStateDatabase _temporary = new();

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task WriteLatest_ThenReopenedDatabase_ReadsTheSameHistogram()
    {
        var set = SpectraSamples.Set(4, 10, SpectraSamples.AllNpe(7));
        await (await RepositoryAsync()).WriteLatestAsync(RunTotals.From(set), set.Histograms, CancellationToken.None);

        var reopened = await RepositoryAsync();
        var found = await reopened.GetLatestAsync(SpectraSamples.DaqId, 4, "sd2.pretrace", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(set.Histograms.Single(h => h.Key == "sd2.pretrace").Counts, found.Value.Histogram.Counts);
        Assert.Equal(set.Histograms[0].Edges, found.Value.Histogram.Edges);
        Assert.Equal(DaqWindow.Pretrace, found.Value.Histogram.Window);
        Assert.Equal(250, found.Value.Totals.Triggers);
    }

    [Fact]
    public async Task LoadNewestRuns_TwoRuns_GivesTheLaterOne()
    {
        var repository = await RepositoryAsync();
        var first = SpectraSamples.Set(1, 10, SpectraSamples.AllNpe(1));
        var second = SpectraSamples.Set(2, 20, SpectraSamples.AllNpe(2));
        await repository.WriteLatestAsync(RunTotals.From(first), first.Histograms, CancellationToken.None);
        await repository.WriteLatestAsync(RunTotals.From(second), second.Histograms, CancellationToken.None);

        var newest = Assert.Single(await repository.LoadNewestRunsAsync(CancellationToken.None));

        Assert.Equal(2, newest.Totals.Run);
        Assert.Equal(8, newest.Histograms.Count);
    }

    [Fact]
    public async Task GetRun_OlderStoredRun_GivesItsTotalsAndEveryHistogram()
    {
        var repository = await RepositoryAsync();
        var first = SpectraSamples.Set(1, 10, SpectraSamples.AllNpe(1));
        var second = SpectraSamples.Set(2, 20, SpectraSamples.AllNpe(2));
        await repository.WriteLatestAsync(RunTotals.From(first), first.Histograms, CancellationToken.None);
        await repository.WriteLatestAsync(RunTotals.From(second), second.Histograms, CancellationToken.None);

        var found = await repository.GetRunAsync(SpectraSamples.DaqId, 1, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(1, found.Value.Totals.Run);
        Assert.Equal(first.Histograms.Select(h => h.Key).Order(StringComparer.Ordinal), found.Value.Histograms.Select(h => h.Key));
    }

    [Fact]
    public async Task GetRun_RunNotStored_GivesNull()
    {
        Assert.Null(await (await RepositoryAsync()).GetRunAsync(SpectraSamples.DaqId, 9, CancellationToken.None));
    }

    [Fact]
    public async Task GetSnapshotAtOrBefore_PicksTheNewestNotAfterTheTime()
    {
        var repository = await RepositoryAsync();
        var at = SpectraSamples.RunStart;
        for (var i = 0; i < 4; i++)
        {
            var set = SpectraSamples.Set(1, i + 1, SpectraSamples.AllNpe(i + 1));
            await repository.WriteSnapshotAsync(RunTotals.From(set), set.Histograms, at.AddMinutes(5 * i), CancellationToken.None);
        }

        var snapshot = await repository.GetSnapshotAtOrBeforeAsync(SpectraSamples.DaqId, 1, "sd1.signal", at.AddMinutes(12), CancellationToken.None);

        Assert.Equal(at.AddMinutes(10), snapshot!.At);
        Assert.Equal(3, snapshot.Seq);
    }

    [Fact]
    public async Task Runs_CountTheirSnapshots()
    {
        var repository = await RepositoryAsync();
        var set = SpectraSamples.Set(3, 1, SpectraSamples.AllNpe(1));
        await repository.WriteLatestAsync(RunTotals.From(set), set.Histograms, CancellationToken.None);
        await repository.WriteSnapshotAsync(RunTotals.From(set), set.Histograms, SpectraSamples.RunStart, CancellationToken.None);
        await repository.WriteSnapshotAsync(RunTotals.From(set), set.Histograms, SpectraSamples.RunStart.AddMinutes(5), CancellationToken.None);

        var run = Assert.Single(await repository.GetRunsAsync(SpectraSamples.DaqId, CancellationToken.None));

        Assert.Equal(3, run.Run);
        Assert.Equal(2, run.Snapshots);
    }

    [Fact]
    public async Task Prune_DeletesSnapshotsPastRetentionOnly()
    {
        var repository = await RepositoryAsync();
        var set = SpectraSamples.Set(1, 1, SpectraSamples.AllNpe(1));
        var now = _temporary.Time.GetUtcNow();
        await repository.WriteSnapshotAsync(RunTotals.From(set), set.Histograms, now.AddDays(-10), CancellationToken.None);
        await repository.WriteSnapshotAsync(RunTotals.From(set), set.Histograms, now.AddDays(-1), CancellationToken.None);
        var options = Microsoft.Extensions.Options.Options.Create(new SpectraOptions { SnapshotRetentionDays = 7 });
        var retention = new SpectraRetentionService(repository, options, _temporary.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<SpectraRetentionService>.Instance);

        var deleted = await retention.PruneAsync(CancellationToken.None);

        Assert.Equal(8, deleted);
        Assert.Single(await repository.GetSnapshotsAsync(SpectraSamples.DaqId, 1, "sd1.signal", CancellationToken.None));
    }

    [Fact]
    public async Task SaveReference_ReplacesAnEarlierOneOfTheSameName()
    {
        var repository = await RepositoryAsync();
        var first = SpectraSamples.Set(1, 1, SpectraSamples.AllNpe(1));
        var second = SpectraSamples.Set(2, 1, SpectraSamples.AllNpe(9));
        await repository.SaveReferenceAsync("nominal", RunTotals.From(first), first.Histograms, "alice", SpectraSamples.RunStart, CancellationToken.None);
        await repository.SaveReferenceAsync("nominal", RunTotals.From(second), second.Histograms, "bob", SpectraSamples.RunStart.AddHours(1), CancellationToken.None);

        var reference = await repository.GetReferenceAsync(SpectraSamples.DaqId, "nominal", "sd1.signal", CancellationToken.None);

        Assert.Equal(2, reference!.Value.Info.Run);
        Assert.Equal("bob", reference.Value.Info.SavedBy);
        Assert.Single(await repository.GetReferencesAsync(SpectraSamples.DaqId, CancellationToken.None));
    }

    private async Task<SpectraRepository> RepositoryAsync()
    {
        var database = _temporary.Open();
        await database.MigrateAsync();
        return new SpectraRepository(database);
    }
}
