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
    private const string TimeAxisTitle = "Time (UTC)";

    private readonly Config _config = TrendChart.Config();
    private readonly List<ITrace> _traces = [];
    private readonly Plotly.Blazor.Layout _layout = TrendChart.Layout([], TimeAxisTitle);

    [Parameter, EditorRequired]
    public required long EntryId { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<LogbookChannelSnapshot> Snapshots { get; set; }

    private string ChartId => $"logbook-snapshot-{EntryId}";

    protected override void OnInitialized()
    {
        _layout.Height = 220;
        var channels = Snapshots.Select(s => new TrendChannel(s.Channel, s.Unit, s.Channel)).ToList();
        var histories = Snapshots
            .Select(s => new ChannelHistory(s.Channel, s.Unit, s.From, s.To, s.BucketSeconds, s.Buckets))
            .ToList();
        TrendChart.Draw(_traces, _layout, histories, channels, TimeZoneInfo.Utc, TimeAxisTitle);
    }
}
