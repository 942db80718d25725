using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Storage.Contract;

/// <summary>
/// What every <see cref="ITimeSeriesStore"/> must do, whatever keeps the data. A subclass opens its
/// store; each test writes only channels under its own random prefix, so runs against a shared
/// server never see each other's data.
/// </summary>
public abstract class TimeSeriesStoreContract : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private ITimeSeriesStore? _store;

    protected TimeSeriesStoreContract()
    {
        Prefix = "contract" + Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>First segment of every channel this test writes.</summary>
    protected string Prefix { get; }

    /// <summary>A midnight UTC at which the store accepts data (aligned to every width up to a day).</summary>
    protected abstract DateTimeOffset T0 { get; }

    private ITimeSeriesStore Store => _store ?? throw new InvalidOperationException("The store is opened in InitializeAsync.");

    private string Temperature => Prefix + ".dewar.temperature";

    private string Level => Prefix + ".dewar.ln2_level";

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await CloseStoreAsync(_store);
        }
    }

    [StoreFact]
    public async Task QueryAsync_AfterWrite_ReturnsStatisticsOfEachBucket()
    {
        await Store.WriteAsync(Series(Temperature, T0, 20, TimeSpan.FromSeconds(1), i => i), None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddSeconds(20), 2, None);

        Assert.Equal(TimeSpan.FromSeconds(10), result.BucketWidth);
        Assert.Equal(
            [new HistoryBucket(T0, 0, 9, 4.5, 9, 10), new HistoryBucket(T0.AddSeconds(10), 10, 19, 14.5, 19, 10)],
            result.Buckets);
    }

    [StoreFact]
    public async Task QueryAsync_OddRange_ReturnsAtMostMaxBucketsAlignedToTheEpochAndCoveringIt()
    {
        var from = T0.AddSeconds(7).AddMilliseconds(250);
        var to = from.AddHours(5);

        var result = await Store.QueryAsync(Temperature, from, to, 7, None);

        var width = result.BucketWidth;
        Assert.InRange(result.Buckets.Count, 1, 7);
        Assert.Equal(0, result.Buckets[0].Start.ToUnixTimeMilliseconds() % (long)width.TotalMilliseconds);
        Assert.InRange(from, result.Buckets[0].Start, result.Buckets[0].Start + width - TimeSpan.FromTicks(1));
        Assert.InRange(to, result.Buckets[^1].Start + TimeSpan.FromTicks(1), result.Buckets[^1].Start + width);
        Assert.All(result.Buckets.Zip(result.Buckets.Skip(1)), pair => Assert.Equal(width, pair.Second.Start - pair.First.Start));
    }

    [StoreFact]
    public async Task QueryAsync_DayAndThousandBuckets_ChoosesTheSmallestNiceWidth()
    {
        var result = await Store.QueryAsync(Temperature, T0, T0.AddDays(1), 1000, None);

        Assert.Equal(TimeSpan.FromMinutes(2), result.BucketWidth);
        Assert.Equal(720, result.Buckets.Count);
    }

    [StoreFact]
    public async Task QueryAsync_GapInData_ReturnsEveryBucketWithEmptyOnesCountingZero()
    {
        await Store.WriteAsync(Series(Temperature, T0, 600, TimeSpan.FromSeconds(1), _ => 1), None);
        await Store.WriteAsync(Series(Temperature, T0.AddMinutes(50), 600, TimeSpan.FromSeconds(1), _ => 2), None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddHours(1), 6, None);

        Assert.Equal([600, 0, 0, 0, 0, 600], result.Buckets.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => T0.AddMinutes(10 * i)), result.Buckets.Select(b => b.Start));
        Assert.All(result.Buckets.Skip(1).Take(4), b => Assert.Equal(new HistoryBucket(b.Start, null, null, null, null, 0), b));
    }

    [StoreFact]
    public async Task QueryAsync_SingleSpike_ShowsInMaxOfItsBucket()
    {
        await Store.WriteAsync(Series(Temperature, T0, 3600, TimeSpan.FromSeconds(1), i => i == 1234 ? 90 : 77.3), None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddHours(1), 6, None);

        var spiky = Assert.Single(result.Buckets, b => b.Max == 90);
        Assert.Equal(T0.AddMinutes(20), spiky.Start);
        Assert.All(result.Buckets.Where(b => b != spiky), b => Assert.Equal(77.3, b.Max));
    }

    [StoreFact]
    public async Task QueryAsync_SingleDip_ShowsInMinOfItsBucket()
    {
        await Store.WriteAsync(Series(Temperature, T0, 3600, TimeSpan.FromSeconds(1), i => i == 2500 ? -5 : 77.3), None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddHours(1), 6, None);

        var dip = Assert.Single(result.Buckets, b => b.Min == -5);
        Assert.Equal(T0.AddMinutes(40), dip.Start);
        Assert.All(result.Buckets.Where(b => b != dip), b => Assert.Equal(77.3, b.Min));
    }

    [StoreFact]
    public async Task QueryAsync_BucketOfSeveralValues_ReturnsTheirMean()
    {
        await Store.WriteAsync(
            [new Reading(Temperature, T0, 1), new Reading(Temperature, T0.AddSeconds(1), 2), new Reading(Temperature, T0.AddSeconds(2), 3), new Reading(Temperature, T0.AddSeconds(3), 10)],
            None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddSeconds(10), 1, None);

        Assert.Equal(4, Assert.Single(result.Buckets).Mean);
    }

    [StoreFact]
    public async Task QueryAsync_ValuesWrittenOutOfOrder_ReturnsNewestByTimestampAsLast()
    {
        await Store.WriteAsync([new Reading(Temperature, T0.AddSeconds(3), 7)], None);
        await Store.WriteAsync([new Reading(Temperature, T0.AddSeconds(1), 9)], None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddSeconds(10), 1, None);

        Assert.Equal(7, Assert.Single(result.Buckets).Last);
    }

    [StoreFact]
    public async Task WriteAsync_SameChannelAndTimestampTwice_KeepsOnePointWithLaterValue()
    {
        await Store.WriteAsync([new Reading(Temperature, T0, 77.3)], None);
        await Store.WriteAsync([new Reading(Temperature, T0, 80.1, Quality.Uncertain)], None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddSeconds(1), 1, None);

        Assert.Equal(new HistoryBucket(T0, 80.1, 80.1, 80.1, 80.1, 1), Assert.Single(result.Buckets));
    }

    [StoreFact]
    public async Task WriteAsync_SameTimestampTwiceInOneBatch_KeepsLaterValue()
    {
        await Store.WriteAsync([new Reading(Temperature, T0, 1), new Reading(Temperature, T0, 2)], None);

        var result = await Store.QueryAsync(Temperature, T0, T0.AddHours(1), 1, None);

        Assert.Equal(new HistoryBucket(T0, 2, 2, 2, 2, 1), Assert.Single(result.Buckets));
    }

    [StoreFact]
    public async Task WriteAsync_NonFiniteValue_ThrowsArgumentException()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.WriteAsync([new Reading(Temperature, T0, double.NaN)], None));
    }

    [StoreFact]
    public async Task LatestAsync_AfterOutOfOrderWrites_ReturnsNewestReadingOfEachChannel()
    {
        await Store.WriteAsync([new Reading(Temperature, T0.AddSeconds(5), 77.5), new Reading(Level, T0, 80, Quality.Bad)], None);
        await Store.WriteAsync([new Reading(Temperature, T0.AddSeconds(1), 77.1)], None);

        var latest = await Store.LatestAsync(None);

        Assert.Equal(
            [new Reading(Level, T0, 80, Quality.Bad), new Reading(Temperature, T0.AddSeconds(5), 77.5)],
            latest.Where(r => r.Channel.StartsWith(Prefix + ".", StringComparison.Ordinal)).OrderBy(r => r.Channel, StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task QueryAsync_UnknownChannel_ReturnsAllBucketsEmpty()
    {
        await Store.WriteAsync(Series(Temperature, T0, 60, TimeSpan.FromSeconds(1), i => i), None);

        var result = await Store.QueryAsync(Prefix + ".pmt.hv", T0, T0.AddMinutes(1), 6, None);

        Assert.Equal(6, result.Buckets.Count);
        Assert.All(result.Buckets, b => Assert.Equal(new HistoryBucket(b.Start, null, null, null, null, 0), b));
    }

    [StoreFact]
    public async Task QueryAsync_FromNotBeforeTo_ThrowsArgumentException()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync(Temperature, T0, T0, 10, None));
    }

    [StoreFact]
    public async Task QueryAsync_ZeroBuckets_ThrowsArgumentException()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync(Temperature, T0, T0.AddHours(1), 0, None));
    }

    [StoreFact]
    public async Task QueryAsync_MoreBucketsThanTheLimit_ThrowsArgumentException()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Store.QueryAsync(Temperature, T0, T0.AddHours(1), BucketPlan.MaxBucketsLimit + 1, None));
    }

    [StoreFact]
    public async Task QueryAsync_BlankChannel_ThrowsArgumentException()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync(" ", T0, T0.AddHours(1), 10, None));
    }

    [StoreFact]
    public async Task PingAsync_OpenStore_Completes()
    {
        var error = await Record.ExceptionAsync(() => Store.PingAsync(None));

        Assert.Null(error);
    }

    protected static Reading[] Series(string channel, DateTimeOffset start, int count, TimeSpan step, Func<int, double> value) =>
        Enumerable.Range(0, count).Select(i => new Reading(channel, start + (i * step), value(i))).ToArray();

    protected abstract Task<ITimeSeriesStore> OpenStoreAsync();

    protected abstract Task CloseStoreAsync(ITimeSeriesStore store);
}
