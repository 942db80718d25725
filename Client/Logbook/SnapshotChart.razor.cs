using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;

namespace Clovers.Monitor.Client.Logbook;

/// <summary>
/// A small chart of the channel history attached to a logbook entry: each channel's mean with its
/// min–max range, drawn like the Trends chart. Built once; an entry's snapshot never changes.
/// </summary>
public sealed partial class SnapshotChart : ComponentBase
{
    private readonly Config _config = TrendChart.Config();
    private IList<ITrace> _traces = [];
    private Plotly.Blazor.Layout _layout = TrendChart.Layout([], "Time (UTC)");

    [Parameter, EditorRequired]
    public required long EntryId { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<LogbookChannelSnapshot> Snapshots { get; set; }

    private string ChartId => $"logbook-snapshot-{EntryId}";

    protected override void OnInitialized()
    {
        var channels = Snapshots.Select(s => new TrendChannel(s.Channel, s.Unit, s.Channel)).ToList();
        var axisUnits = TrendChart.AxisUnits(channels);
        _layout = TrendChart.Layout(axisUnits, "Time (UTC)");
        _layout.Height = 220;
        _traces = Snapshots
            .SelectMany((snapshot, index) =>
            {
                TrendSeries.FromHistory(
                    new ChannelHistory(snapshot.Channel, snapshot.Unit, snapshot.From, snapshot.To, snapshot.BucketSeconds, snapshot.Buckets),
                    TimeZoneInfo.Utc,
                    out var points);
                return TrendChart.Traces(index, channels[index], points, axisUnits);
            })
            .ToList();
    }
}
