using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Plotly.Blazor;

namespace Clovers.Monitor.Client.Trends;

/// <summary>
/// One trend chart that keeps moving: drawn from history, then appended to with the live updates
/// of its channels. Updates are queued as they arrive, from any thread, and folded in by
/// <see cref="FlushAsync"/>, which extends the Plotly traces in place; each trace keeps about one
/// window's worth of points (<see cref="TrendSeries.Capacity"/>), so old points scroll out and
/// the browser's memory stays flat. The Trends page has one; the PMT page one per panel.
/// </summary>
/// <remarks>
/// A (re)load goes <see cref="Watch"/> (queue this selection's updates from now on, stop
/// appending), fetch the histories, then <see cref="DrawAsync"/> (replace the traces and resume
/// appending). Readings queued meanwhile that the history already holds are skipped by the series.
/// </remarks>
public sealed class LiveTrendChart
{
    /// <summary>
    /// How many updates wait between flushes; past this many the oldest go, since a reload would
    /// bring them back from the store anyway.
    /// </summary>
    public const int PendingLimit = 20_000;

    private readonly Lock _pendingLock = new();
    private readonly Queue<ChannelUpdate> _pending = new();
    private readonly List<TrendSeries> _series = [];
    private volatile HashSet<string> _watched = new(StringComparer.Ordinal);
    private int _generation;

    /// <summary>The traces the chart component is given; replaced by <see cref="DrawAsync"/>, never re-diffed.</summary>
    public List<ITrace> Traces { get; } = [];

    /// <summary>The layout the chart component is given; its axes change in place.</summary>
    public Plotly.Blazor.Layout Layout { get; } = TrendChart.Layout([], "Time");

    /// <summary>Set by the page's <c>@ref</c> once the chart is rendered.</summary>
    public PlotlyChart? Chart { get; set; }

    /// <summary>The drawn channels, in trace order.</summary>
    public IReadOnlyList<TrendSeries> Series => _series;

    /// <summary>True once drawn: flushes append until the next <see cref="Watch"/>.</summary>
    public bool IsLive { get; private set; }

    /// <summary>Live data jumped past what appending can bridge: load the window again (false again from <see cref="Watch"/>).</summary>
    public bool NeedsReload => IsLive && _series.Exists(static s => s.NeedsReload);

    /// <summary>Updates queued for the next flush, at most <see cref="PendingLimit"/>.</summary>
    public int PendingCount
    {
        get
        {
            lock (_pendingLock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Starts a (re)load of these channels: their updates queue from now on, appends wait for <see cref="DrawAsync"/>.</summary>
    public void Watch(IEnumerable<string> channelIds)
    {
        _generation++;
        IsLive = false;
        _watched = new HashSet<string>(channelIds, StringComparer.Ordinal);
    }

    /// <summary>Queues the updates of watched channels; safe from any thread.</summary>
    public void Enqueue(IReadOnlyList<ChannelUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var watched = _watched;
        lock (_pendingLock)
        {
            foreach (var update in updates)
            {
                if (!watched.Contains(update.Id))
                {
                    continue;
                }

                if (_pending.Count >= PendingLimit)
                {
                    _pending.Dequeue();
                }

                _pending.Enqueue(update);
            }
        }
    }

    /// <summary>
    /// Replaces the chart's traces with the histories (channel i describes history i), sets the
    /// axes for their units, redraws and resumes appending.
    /// </summary>
    public async Task DrawAsync(
        IReadOnlyList<ChannelHistory> histories,
        IReadOnlyList<TrendChannel> channels,
        TimeZoneInfo timeZone,
        string timeAxisTitle,
        CancellationToken cancellationToken)
    {
        var chart = Chart ?? throw new InvalidOperationException("The chart is drawn before it was rendered.");
        _generation++;
        _series.Clear();
        _series.AddRange(TrendChart.Draw(Traces, Layout, histories, channels, timeZone, timeAxisTitle));
        await chart.React(cancellationToken);
        IsLive = true;
    }

    /// <summary>
    /// Folds the queued updates into their series and appends every bucket completed by
    /// <paramref name="now"/> (the server's clock). Appends nothing when <see cref="NeedsReload"/>
    /// turns true, or once a reload has begun.
    /// </summary>
    public async Task FlushAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!IsLive || Chart is not { } chart)
        {
            return;
        }

        ChannelUpdate[] updates;
        lock (_pendingLock)
        {
            updates = [.. _pending];
            _pending.Clear();
        }

        var byId = _series.ToDictionary(static series => series.ChannelId, StringComparer.Ordinal);
        foreach (var update in updates)
        {
            if (byId.TryGetValue(update.Id, out var series))
            {
                series.Add(update.Timestamp, update.Value);
            }
        }

        if (NeedsReload)
        {
            return;
        }

        // Each append awaits the browser; a reload may start meanwhile and replace the series.
        var generation = _generation;
        TrendSeries[] drawn = [.. _series];
        for (var i = 0; i < drawn.Length && generation == _generation; i++)
        {
            var points = drawn[i].TakeCompleted(now);
            if (points.Count == 0)
            {
                continue;
            }

            var (rangeX, rangeY) = points.RangeStrokes();
            await chart.ExtendTraces(
                [rangeX!],
                [rangeY!],
                [TrendChart.RangeTraceIndex(i)],
                drawn[i].Capacity * TrendChart.RangePointsPerBucket,
                cancellationToken);
            await chart.ExtendTraces(
                [points.X!],
                [points.Mean!],
                [TrendChart.MeanTraceIndex(i)],
                drawn[i].Capacity,
                cancellationToken);
        }
    }
}
