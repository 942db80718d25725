using System.Globalization;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Trends;

/// <summary>
/// One channel on the Trends chart: turns its downsampled history into points, then folds live
/// updates into buckets of the same width and hands out each bucket once it is complete, so the
/// chart only ever appends.
/// </summary>
/// <remarks>
/// A bucket with no reading is not a gap by itself: a channel that reports every 5 s leaves most
/// 1.5 s buckets of a 15 min window empty. A gap is a silence clearly longer than the channel's own
/// spacing (<see cref="GapThreshold"/>); the chart breaks its line there and nowhere else.
/// </remarks>
public sealed class TrendSeries
{
    private const double GapFactor = 3;
    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan _window;
    private DateTimeOffset _bucketStart;
    private DateTimeOffset? _lastPointStart;
    private TrendPoints _completed = new();
    private long _count;
    private double _min;
    private double _max;
    private double _sum;

    private TrendSeries(string channelId, TimeSpan bucketWidth, TimeSpan gapThreshold, int capacity, TimeSpan window, DateTimeOffset liveStart, DateTimeOffset? lastPointStart, TimeZoneInfo zone)
    {
        ChannelId = channelId;
        BucketWidth = bucketWidth;
        GapThreshold = gapThreshold;
        Capacity = capacity;
        _window = window;
        _bucketStart = liveStart;
        _lastPointStart = lastPointStart;
        _zone = zone;
    }

    public string ChannelId { get; }

    public TimeSpan BucketWidth { get; }

    public TimeSpan GapThreshold { get; }

    /// <summary>How many points the chart keeps for this channel: about one window's worth, so old points scroll out.</summary>
    public int Capacity { get; }

    /// <summary>Set when live data jumped so far that appending makes no sense; reload the window from REST.</summary>
    public bool NeedsReload { get; private set; }

    public static TrendSeries FromHistory(ChannelHistory history, TimeZoneInfo zone, out TrendPoints points)
    {
        var width = history.BucketSeconds > 0 ? TimeSpan.FromSeconds(history.BucketSeconds) : TimeSpan.FromSeconds(1);
        var filled = history.Buckets.Where(static bucket => bucket.Count > 0 && bucket.Mean is not null).OrderBy(static b => b.Start).ToList();

        var spacing = MedianSpacing(filled, width);
        var gapThreshold = TimeSpan.FromTicks(Math.Max((long)(spacing.Ticks * GapFactor), width.Ticks * 2));
        var window = history.To - history.From;
        var capacity = (int)Math.Clamp(Math.Ceiling(window / spacing * 1.1) + 16, 32, 20_000);
        var liveStart = history.Buckets.Count > 0 ? history.Buckets.Max(static b => b.Start) + width : history.To;

        var series = new TrendSeries(history.Channel, width, gapThreshold, capacity, window, liveStart, null, zone);
        points = new TrendPoints();
        foreach (var bucket in filled)
        {
            series.Append(points, bucket.Start, bucket.Min ?? bucket.Mean, bucket.Max ?? bucket.Mean, bucket.Mean);
        }

        return series;
    }

    /// <summary>Adds one live reading; readings from before the live edge are already in the history and are skipped.</summary>
    public void Add(DateTimeOffset timestamp, double value)
    {
        if (timestamp < _bucketStart || !double.IsFinite(value))
        {
            return;
        }

        if (timestamp - _bucketStart > _window)
        {
            NeedsReload = true;
            return;
        }

        var ahead = (long)((timestamp - _bucketStart) / BucketWidth);
        if (ahead > 0)
        {
            // Buckets in between stay empty; Append decides whether that silence is a gap.
            CloseBucket();
            _bucketStart += BucketWidth * ahead;
        }

        if (_count == 0)
        {
            _min = value;
            _max = value;
            _sum = 0;
        }

        _count++;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        _sum += value;
    }

    /// <summary>Returns the points of buckets that ended by <paramref name="now"/>, in order, for appending.</summary>
    public TrendPoints TakeCompleted(DateTimeOffset now)
    {
        if (now >= _bucketStart + BucketWidth)
        {
            CloseBucket();
            _bucketStart += BucketWidth * (long)((now - _bucketStart) / BucketWidth);
        }

        var completed = _completed;
        _completed = new TrendPoints();
        return completed;
    }

    public string FormatX(DateTimeOffset timestamp) =>
        TimeZoneInfo.ConvertTime(timestamp, _zone).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private void CloseBucket()
    {
        if (_count == 0)
        {
            return;
        }

        Append(_completed, _bucketStart, _min, _max, _sum / _count);
        _count = 0;
    }

    private void Append(TrendPoints points, DateTimeOffset bucketStart, double? min, double? max, double? mean)
    {
        if (_lastPointStart is { } last && bucketStart - last > GapThreshold)
        {
            points.AddGap(FormatX(last + (bucketStart - last) / 2));
        }

        points.Add(FormatX(bucketStart + BucketWidth / 2), min, max, mean);
        _lastPointStart = bucketStart;
    }

    private static TimeSpan MedianSpacing(List<HistoryBucket> filled, TimeSpan width)
    {
        if (filled.Count < 2)
        {
            return width;
        }

        var gaps = new List<TimeSpan>(filled.Count - 1);
        for (var i = 1; i < filled.Count; i++)
        {
            gaps.Add(filled[i].Start - filled[i - 1].Start);
        }

        gaps.Sort();
        var median = gaps[gaps.Count / 2];
        return median > width ? median : width;
    }
}
