using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Tests.Storage;

public sealed class SqliteTimeSeriesStoreTests
{
    private const string Temperature = "cryo.dewar.temperature";
    private const string Level = "cryo.dewar.ln2_level";

    private static readonly DateTimeOffset T0 = TemporaryStore.T0;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task QueryAsync_AfterWrite_ReturnsStatisticsOfEachBucket()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 20, TimeSpan.FromSeconds(1), i => i), None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddSeconds(20), 2, None);

        Assert.Equal(TimeSpan.FromSeconds(10), result.BucketWidth);
        Assert.Equal(
            [new HistoryBucket(T0, 0, 9, 4.5, 9, 10), new HistoryBucket(T0.AddSeconds(10), 10, 19, 14.5, 19, 10)],
            result.Buckets);
    }

    [Fact]
    public async Task WriteAsync_SameChannelAndTimestampTwice_KeepsOnePointWithLaterValue()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync([new Reading(Temperature, T0, 77.3)], None);
        await temp.Store.WriteAsync([new Reading(Temperature, T0, 80.1, Quality.Uncertain)], None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddSeconds(1), 1, None);

        Assert.Equal(new HistoryBucket(T0, 80.1, 80.1, 80.1, 80.1, 1), Assert.Single(result.Buckets));
    }

    [Fact]
    public async Task WriteAsync_SameTimestampTwiceInOneBatch_KeepsLaterValue()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync([new Reading(Temperature, T0, 1), new Reading(Temperature, T0, 2)], None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(1), 1, None);

        Assert.Equal(new HistoryBucket(T0, 2, 2, 2, 2, 1), Assert.Single(result.Buckets));
    }

    [Fact]
    public async Task WriteAsync_MoreReadingsThanMaxBatchSize_StoresThemAll()
    {
        await using var temp = new TemporaryStore(o => o.MaxBatchSize = 7);
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 100, TimeSpan.FromSeconds(1), i => i), None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddSeconds(100), 1, None);

        Assert.Equal(100, Assert.Single(result.Buckets).Count);
    }

    [Fact]
    public async Task WriteAsync_FromConcurrentCallers_StoresEveryReading()
    {
        await using var temp = new TemporaryStore();
        var writes = Enumerable.Range(0, 8).Select(n => temp.Store.WriteAsync(
            TemporaryStore.Series(Temperature, T0.AddSeconds(n * 100), 100, TimeSpan.FromSeconds(1), i => i), None));
        await Task.WhenAll(writes);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddSeconds(800), 1, None);

        Assert.Equal(800, Assert.Single(result.Buckets).Count);
    }

    [Fact]
    public async Task QueryAsync_WhileAnotherConnectionHoldsAnExclusiveWrite_AnswersWithCommittedData()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 10, TimeSpan.FromSeconds(1), i => i), None);
        var builder = new SqliteConnectionStringBuilder { DataSource = temp.Store.DatabasePath, Pooling = false };
        await using var writer = new SqliteConnection(builder.ToString());
        await writer.OpenAsync();
        await using (var insert = writer.CreateCommand())
        {
            // Outside WAL an exclusive lock would shut readers out until it is released.
            insert.CommandText =
                """
                BEGIN EXCLUSIVE;
                INSERT INTO readings (channel_key, ts_ms, value, quality)
                SELECT channel_key, ts_ms + 10000, value, quality FROM readings;
                """;
            await insert.ExecuteNonQueryAsync();
        }

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddMinutes(1), 1, None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(10, Assert.Single(result.Buckets).Count);
    }

    [Fact]
    public async Task WriteAsync_NonFiniteValue_ThrowsArgumentException()
    {
        await using var temp = new TemporaryStore();

        await Assert.ThrowsAsync<ArgumentException>(
            () => temp.Store.WriteAsync([new Reading(Temperature, T0, double.NaN)], None));
    }

    [Theory]
    [InlineData(0, 3600, 1000)]
    [InlineData(7, 86_400, 1000)]
    [InlineData(1234, 30 * 86_400, 1000)]
    [InlineData(59, 61, 1)]
    [InlineData(-3, 7_200, 7)]
    [InlineData(500, 86_400, 10_000)]
    public async Task QueryAsync_AnyRange_ReturnsEveryAlignedBucketWithinMaxBuckets(int fromSeconds, int lengthSeconds, int maxBuckets)
    {
        await using var temp = new TemporaryStore();
        var from = T0.AddSeconds(fromSeconds).AddMilliseconds(250);
        var to = from.AddSeconds(lengthSeconds);

        var result = await temp.Store.QueryAsync(Temperature, from, to, maxBuckets, None);

        var width = result.BucketWidth;
        Assert.InRange(result.Buckets.Count, 1, maxBuckets);
        Assert.Equal(0, result.Buckets[0].Start.ToUnixTimeMilliseconds() % (long)width.TotalMilliseconds);
        Assert.InRange(from, result.Buckets[0].Start, result.Buckets[0].Start + width - TimeSpan.FromTicks(1));
        Assert.InRange(to, result.Buckets[^1].Start + TimeSpan.FromTicks(1), result.Buckets[^1].Start + width);
        Assert.All(result.Buckets.Zip(result.Buckets.Skip(1)), pair => Assert.Equal(width, pair.Second.Start - pair.First.Start));
    }

    [Theory]
    [InlineData(60, 1000, 1)]
    [InlineData(3600, 1000, 5)]
    [InlineData(3600, 240, 15)]
    [InlineData(86_400, 1000, 120)]
    [InlineData(7 * 86_400, 1000, 900)]
    [InlineData(30 * 86_400, 1000, 3600)]
    [InlineData(365 * 86_400, 1000, 43_200)]
    public async Task QueryAsync_RangeAndMaxBuckets_ChoosesSmallestNiceWidth(int lengthSeconds, int maxBuckets, int expectedSeconds)
    {
        await using var temp = new TemporaryStore();
        temp.Time.AdjustTime(T0.AddSeconds(lengthSeconds));

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddSeconds(lengthSeconds), maxBuckets, None);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), result.BucketWidth);
    }

    [Fact]
    public async Task QueryAsync_SingleSpike_ShowsInMaxOfItsBucket()
    {
        await using var temp = new TemporaryStore();
        var spikeAt = 1_234;
        await temp.Store.WriteAsync(
            TemporaryStore.Series(Temperature, T0, 3600, TimeSpan.FromSeconds(1), i => i == spikeAt ? 90 : 77.3), None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(1), 6, None);

        var spiky = Assert.Single(result.Buckets, b => b.Max == 90);
        Assert.Equal(T0.AddMinutes(20), spiky.Start);
        Assert.Equal(77.3, spiky.Min);
        Assert.All(result.Buckets.Where(b => b != spiky), b => Assert.Equal(77.3, b.Max));
    }

    [Fact]
    public async Task QueryAsync_GapInData_ReturnsEmptyBucketsWithNullStatistics()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 600, TimeSpan.FromSeconds(1), _ => 1), None);
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0.AddMinutes(50), 600, TimeSpan.FromSeconds(1), _ => 2), None);

        var result = await temp.Store.QueryAsync(Temperature, T0, T0.AddHours(1), 6, None);

        Assert.Equal([600, 0, 0, 0, 0, 600], result.Buckets.Select(b => b.Count));
        Assert.All(result.Buckets.Skip(1).Take(4), b => Assert.Equal(new HistoryBucket(b.Start, null, null, null, null, 0), b));
    }

    [Fact]
    public async Task QueryAsync_UnknownChannel_ReturnsAllBucketsEmpty()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 60, TimeSpan.FromSeconds(1), i => i), None);

        var result = await temp.Store.QueryAsync("pmt.1.hv", T0, T0.AddMinutes(1), 6, None);

        Assert.Equal(6, result.Buckets.Count);
        Assert.All(result.Buckets, b => Assert.Equal(0, b.Count));
    }

    [Fact]
    public async Task QueryAsync_FromNotBeforeTo_ThrowsArgumentException()
    {
        await using var temp = new TemporaryStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.QueryAsync(Temperature, T0, T0, 10, None));

        Assert.Contains("earlier", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public async Task QueryAsync_MaxBucketsOutOfRange_ThrowsArgumentException(int maxBuckets)
    {
        await using var temp = new TemporaryStore();

        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => temp.Store.QueryAsync(Temperature, T0, T0.AddHours(1), maxBuckets, None));
    }

    [Fact]
    public async Task QueryAsync_EmptyChannel_ThrowsArgumentException()
    {
        await using var temp = new TemporaryStore();

        await Assert.ThrowsAsync<ArgumentException>(() => temp.Store.QueryAsync(" ", T0, T0.AddHours(1), 10, None));
    }

    [Fact]
    public async Task LatestAsync_AfterOutOfOrderWrites_ReturnsNewestReadingOfEachChannel()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(
            [new Reading(Temperature, T0.AddSeconds(5), 77.5), new Reading(Level, T0, 80, Quality.Bad)], None);
        await temp.Store.WriteAsync([new Reading(Temperature, T0.AddSeconds(1), 77.1)], None);

        var latest = await temp.Store.LatestAsync(None);

        Assert.Equal(
            [new Reading(Level, T0, 80, Quality.Bad), new Reading(Temperature, T0.AddSeconds(5), 77.5)],
            latest.OrderBy(r => r.Channel, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LatestAsync_EmptyStore_ReturnsNothing()
    {
        await using var temp = new TemporaryStore();

        Assert.Empty(await temp.Store.LatestAsync(None));
    }

    [Fact]
    public async Task PingAsync_OpenStore_Completes()
    {
        await using var temp = new TemporaryStore();

        await temp.Store.PingAsync(None);

        Assert.True(File.Exists(temp.Store.DatabasePath));
    }

    [Fact]
    public async Task QueryAsync_AfterReopen_ReturnsDataWrittenBefore()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0, 60, TimeSpan.FromSeconds(1), i => i), None);
        await temp.Store.WriteAsync(TemporaryStore.Series(Level, T0, 60, TimeSpan.FromSeconds(1), i => i), None);

        await temp.ReopenAsync();
        await temp.Store.WriteAsync(TemporaryStore.Series(Temperature, T0.AddSeconds(60), 60, TimeSpan.FromSeconds(1), i => i), None);

        var temperature = await temp.Store.QueryAsync(Temperature, T0, T0.AddMinutes(2), 1, None);
        var level = await temp.Store.QueryAsync(Level, T0, T0.AddMinutes(2), 1, None);
        Assert.Equal(120, Assert.Single(temperature.Buckets).Count);
        Assert.Equal(60, Assert.Single(level.Buckets).Count);
    }

    [Fact]
    public async Task WriteAsync_ManyBatchesWithReplacements_LeavesIntegrityCheckOk()
    {
        await using var temp = new TemporaryStore(o => o.MaxBatchSize = 1_000);
        for (var batch = 0; batch < 5; batch++)
        {
            await temp.Store.WriteAsync(
                TemporaryStore.Series(Temperature, T0.AddSeconds(batch * 1_500), 3_000, TimeSpan.FromSeconds(1), i => i * batch), None);
        }

        await temp.Store.DisposeAsync();

        Assert.Equal("ok", await temp.ScalarAsync("PRAGMA integrity_check;"));
    }

    [Fact]
    public async Task InitializeAsync_OnExistingFile_KeepsSchemaVersion()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.InitializeAsync(None);
        await temp.ReopenAsync();
        await temp.Store.InitializeAsync(None);
        await temp.Store.InitializeAsync(None);

        Assert.Equal((long)SqliteSchema.CurrentVersion, await temp.ScalarAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task InitializeAsync_FileFromNewerSchema_Throws()
    {
        await using var temp = new TemporaryStore();
        await temp.Store.InitializeAsync(None);
        await temp.Store.DisposeAsync();
        await temp.ScalarAsync("PRAGMA user_version = 99;");
        await temp.ReopenAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => temp.Store.InitializeAsync(None));
    }
}
