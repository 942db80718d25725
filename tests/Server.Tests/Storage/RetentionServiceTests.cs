using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Server.Tests.Storage;

public sealed class RetentionServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    private readonly TemporaryStore _temporary = new();
    private readonly RetentionOptions _options = new() { IntervalMinutes = 60, FirstRunDelaySeconds = 30 };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _temporary.DisposeAsync();

    [Fact]
    public async Task FirstPass_ReadingsPastRawRetention_DeletesThemAndReportsHowMany()
    {
        await _temporary.Store.WriteAsync(TemporaryStore.Series("pmt.hv.ch1", TemporaryStore.T0, 120, TimeSpan.FromSeconds(1), i => i), CancellationToken.None);
        _temporary.Time.SetUtcNow(TemporaryStore.T0 + _temporary.Options.RawRetention + TimeSpan.FromDays(2));
        using var service = NewService(_temporary.Store);

        await service.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => service.Passes >= 1);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(new RetentionReport(120, 0), service.LastReport);
        Assert.Equal(0L, await _temporary.ScalarAsync("SELECT count(*) FROM readings;"));
    }

    [Fact]
    public async Task FirstPass_ReadingsWithinRetention_KeepsThem()
    {
        await _temporary.Store.WriteAsync(TemporaryStore.Series("pmt.hv.ch1", TemporaryStore.T0, 120, TimeSpan.FromSeconds(1), i => i), CancellationToken.None);
        using var service = NewService(_temporary.Store);

        await service.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => service.Passes >= 1);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(new RetentionReport(0, 0), service.LastReport);
        Assert.Equal(120L, await _temporary.ScalarAsync("SELECT count(*) FROM readings;"));
    }

    [Fact]
    public async Task Passes_AfterTheFirst_ComeOneIntervalApart()
    {
        await _temporary.Store.InitializeAsync(CancellationToken.None);
        using var service = NewService(_temporary.Store);
        await service.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => service.Passes >= 1);
        var first = service.LastPassAt!.Value;

        await AdvanceUntilAsync(() => service.Passes >= 2);
        var second = service.LastPassAt!.Value;
        await service.StopAsync(CancellationToken.None);

        // A step of slack either way: the test may move the clock while the service is between reading it and setting its timer.
        var interval = TimeSpan.FromMinutes(_options.IntervalMinutes);
        Assert.InRange(second - first, interval - Step, interval + (10 * Step));
    }

    [Fact]
    public async Task Pass_StoreFails_IsCountedAndTheNextPassStillRuns()
    {
        var notAFolder = Path.Combine(Path.GetTempPath(), "clovers-storage-tests-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(notAFolder, "a file where the data folder should be");
        try
        {
            using var broken = new SqliteTimeSeriesStore(Options.Create(new StorageOptions { DataDirectory = Path.Combine(notAFolder, "data") }), _temporary.Time);
            using var service = NewService(broken);

            await service.StartAsync(CancellationToken.None);
            await AdvanceUntilAsync(() => service.Failures >= 2);
            await service.StopAsync(CancellationToken.None);

            Assert.Equal(0, service.Passes);
            Assert.False(service.ExecuteTask!.IsFaulted);
        }
        finally
        {
            File.Delete(notAFolder);
        }
    }

    [Fact]
    public async Task ExecuteAsync_StoreIsNotSqlite_EndsWithoutAPass()
    {
        using var service = NewService(new OtherStore());

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, service.Passes + service.Failures);
    }

    [Fact]
    public void Validate_DefaultOptions_Succeeds()
    {
        Assert.True(new RetentionOptionsValidator().Validate(null, new RetentionOptions()).Succeeded);
    }

    [Fact]
    public void Validate_BothValuesOutOfRange_ListsBoth()
    {
        var result = new RetentionOptionsValidator().Validate(null, new RetentionOptions { IntervalMinutes = 0, FirstRunDelaySeconds = -1 });

        Assert.Collection(
            result.Failures!,
            f => Assert.Contains("Storage:Retention:IntervalMinutes", f, StringComparison.Ordinal),
            f => Assert.Contains("Storage:Retention:FirstRunDelaySeconds", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddStorageRetention_InvalidSection_FailsTheStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.SectionName}:{nameof(StorageOptions.DataDirectory)}"] = _temporary.Directory,
            [$"{RetentionOptions.SectionName}:{nameof(RetentionOptions.IntervalMinutes)}"] = "0",
        });
        builder.AddStorage();
        builder.AddStorageRetention();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("IntervalMinutes", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddStorageRetention_Always_RegistersTheServiceAsHosted()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddStorage();
        builder.AddStorageRetention();
        using var host = builder.Build();

        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is RetentionService);
    }

    private RetentionService NewService(ITimeSeriesStore store) =>
        new(store, Options.Create(_options), _temporary.Time, NullLogger<RetentionService>.Instance);

    /// <summary>
    /// Moves the fake clock a minute at a time, letting the service react in between, until the
    /// condition holds. The service sets its timers on its own thread, so one big jump could come
    /// before a timer exists.
    /// </summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The retention service did not get there in time.");
            _temporary.Time.Advance(Step);
            await Task.Delay(10);
        }
    }

    private sealed class OtherStore : ITimeSeriesStore
    {
        public Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<HistoryResult> QueryAsync(string channel, DateTimeOffset from, DateTimeOffset to, int maxBuckets, CancellationToken cancellationToken) =>
            Task.FromResult(new HistoryResult(TimeSpan.FromSeconds(1), Array.Empty<HistoryBucket>()));

        public Task<IReadOnlyList<Reading>> LatestAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Reading>>([]);

        public Task PingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
