using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Plotly.Blazor;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// History of chosen channels from the REST API, kept moving by live updates. The chart is built
/// when the selection or range changes and otherwise only appended to, once a second, with
/// whatever buckets completed meanwhile.
/// </summary>
public sealed partial class Trends : ComponentBase, IAsyncDisposable
{
    public const int MaxPoints = 600;

    private readonly TrendPageLifetime _lifetime = new();
    private readonly LiveTrendChart _trend = new();
    private readonly List<IDisposable> _subscriptions = [];

    private readonly Config _config = TrendChart.Config();
    private TrendRange _range = TrendRange.Default;
    private string[] _selected = [];
    private bool _rendered;
    private string _loadState = "idle";
    private string? _error;
    private string _channelFingerprint = string.Empty;

    [Inject]
    public required ILiveData LiveData { get; init; }

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ILogger<Trends> Logger { get; init; }

    /// <summary>Optional deep link: <c>?channels=a,b</c>.</summary>
    [SupplyParameterFromQuery(Name = "channels")]
    public string? ChannelsQuery { get; set; }

    /// <summary>Optional deep link: <c>?range=1h</c> (15m, 1h, 6h, 24h, 7d, 30d).</summary>
    [SupplyParameterFromQuery(Name = "range")]
    public string? RangeQuery { get; set; }

    /// <summary>The zone the time axis is drawn in: the browser's own.</summary>
    private static TimeZoneInfo TimeZone => TimeZoneInfo.Local;

    private string[] SelectedChannels
    {
        get => _selected;
        set => _selected = value ?? [];
    }

    private IEnumerable<IGrouping<ChannelGroup, ChannelState>> ChannelGroups =>
        LiveData.Channels.Values
            .OrderBy(static c => c.Group)
            .ThenBy(static c => c.Id, StringComparer.Ordinal)
            .GroupBy(static c => c.Group);

    /// <summary>
    /// Where "Download CSV" points: the picked channels the server knows, over the range shown
    /// now; null (a disabled link) while none is picked.
    /// </summary>
    private string? CsvHref
    {
        get
        {
            var channels = _selected.Where(LiveData.Channels.ContainsKey).ToArray();
            if (channels.Length == 0)
            {
                return null;
            }

            var to = Time.GetUtcNow() + LiveData.ServerClockOffset;
            return ApiPaths.Relative(ApiRoutes.HistoryCsv(channels, to - _range.Span, to, stepSeconds: null));
        }
    }

    private string StatusText => _loadState switch
    {
        "loading" => "Loading history…",
        "error" => $"Could not load the history: {_error}",
        "partial" => $"{_trend.Series.Count} channel(s), last {_range.Label}, updating live. Missing: {_error}",
        "live" => $"{_trend.Series.Count} channel(s), last {_range.Label}, updating live.",
        _ => "Pick one or more channels to plot.",
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        await _lifetime.DisposeAsync();
    }

    protected override void OnInitialized()
    {
        _channelFingerprint = ChannelFingerprint();
        _subscriptions.Add(LiveData.SubscribeChanged(OnLiveChangedAsync));
        _subscriptions.Add(LiveData.SubscribeChannelUpdates(OnChannelUpdates));
        _subscriptions.Add(LiveData.SubscribeBackfillNeeded(_ => InvokeAsync(ReloadAsync)));
    }

    protected override async Task OnParametersSetAsync()
    {
        var range = TrendRange.Find(RangeQuery) ?? _range;
        var channels = ChannelsQuery is null
            ? _selected
            : ChannelsQuery.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (range == _range && channels.SequenceEqual(_selected, StringComparer.Ordinal))
        {
            return;
        }

        _range = range;
        _selected = channels;
        if (_rendered)
        {
            await ReloadAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _rendered = true;
            _lifetime.StartFlushLoop(Time, InvokeAsync, FlushAsync, Logger);
            await ReloadAsync();
        }
    }

    private static string OptionLabel(ChannelState channel) =>
        string.IsNullOrEmpty(channel.Unit) ? channel.Id : $"{channel.Id} ({channel.Unit})";

    // The link's range ends at "now" as of the last render, which may be long ago: an event
    // handled here re-renders the page, so the link is current again before the click lands.
    private static void RefreshDownloadLink()
    {
    }

    private async Task OnSelectionChangedAsync()
    {
        UpdateAddress();
        await ReloadAsync();
    }

    private async Task OnRangeSelectedAsync(TrendRange range)
    {
        if (range == _range)
        {
            return;
        }

        _range = range;
        UpdateAddress();
        await ReloadAsync();
    }

    private void UpdateAddress()
    {
        var address = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["channels"] = _selected.Length == 0 ? null : string.Join(',', _selected),
            ["range"] = _range.Key,
        });
        Navigation.NavigateTo(address, replace: true);
    }

    /// <summary>Fetches the whole window for the selection and redraws; live appends resume afterwards.</summary>
    private async Task ReloadAsync()
    {
        if (_trend.Chart is null || _lifetime.IsDisposing)
        {
            return;
        }

        var cancellationToken = await _lifetime.BeginLoadAsync();
        var selected = _selected;
        var range = _range;
        _trend.Watch(selected);

        if (selected.Length == 0)
        {
            _loadState = "idle";
            if (_trend.Traces.Count > 0)
            {
                await _trend.DrawAsync([], [], TimeZone, TimeAxisLabel(), cancellationToken);
            }

            StateHasChanged();
            return;
        }

        _loadState = "loading";
        StateHasChanged();
        try
        {
            var to = Time.GetUtcNow() + LiveData.ServerClockOffset;
            var from = to - range.Span;
            var results = await Task.WhenAll(selected.Select(id => LoadHistoryAsync(id, from, to, cancellationToken)));
            cancellationToken.ThrowIfCancellationRequested();
            var histories = results.Where(static r => r.History is not null).Select(static r => r.History!).ToArray();
            var failures = results.Where(static r => r.History is null).Select(static r => $"{r.ChannelId} ({r.Error})").ToList();
            _error = failures.Count == 0 ? null : string.Join(", ", failures);

            var channels = histories
                .Select(h => LiveData.Channels.TryGetValue(h.Channel, out var state)
                    ? new TrendChannel(h.Channel, state.Unit, state.Description)
                    : new TrendChannel(h.Channel, h.Unit, string.Empty))
                .ToList();
            await _trend.DrawAsync(histories, channels, TimeZone, TimeAxisLabel(), cancellationToken);
            _loadState = histories.Length == 0 ? "error" : failures.Count > 0 ? "partial" : "live";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (JSException ex)
        {
            Logger.LogWarning(ex, "Drawing the trend chart failed");
            _error = ex.Message;
            _loadState = "error";
        }

        StateHasChanged();
    }

    /// <summary>One channel's history, or why it is missing: one bad channel in a link must not blank the others.</summary>
    private async Task<(string ChannelId, ChannelHistory? History, string? Error)> LoadHistoryAsync(
        string channelId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        try
        {
            var route = ApiPaths.Relative(ApiRoutes.History(channelId, from, to, MaxPoints));
            var history = await Http.GetFromJsonAsync(route, ApiJsonContext.Default.ChannelHistory, cancellationToken);
            return history is null ? (channelId, null, "empty answer") : (channelId, history, null);
        }
        catch (HttpRequestException ex)
        {
            Logger.LogWarning(ex, "Loading the history of {Channel} failed", channelId);
            return (channelId, null, ex.StatusCode is { } status ? $"HTTP {(int)status}" : "server unreachable");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            Logger.LogWarning(ex, "The history of {Channel} could not be read", channelId);
            return (channelId, null, "unreadable answer");
        }
    }

    private Task OnChannelUpdates(IReadOnlyList<ChannelUpdate> updates)
    {
        _trend.Enqueue(updates);
        return Task.CompletedTask;
    }

    private async Task OnLiveChangedAsync()
    {
        // The page shows no live values itself; it re-renders only when the channel list changes.
        var fingerprint = ChannelFingerprint();
        if (fingerprint != _channelFingerprint)
        {
            _channelFingerprint = fingerprint;
            await InvokeAsync(StateHasChanged);
        }
    }

    private string ChannelFingerprint() => string.Join('|', LiveData.Channels.Keys.Order(StringComparer.Ordinal));

    private async Task FlushAsync()
    {
        await _trend.FlushAsync(Time.GetUtcNow() + LiveData.ServerClockOffset, _lifetime.AppendToken);
        if (_trend.NeedsReload)
        {
            await ReloadAsync();
        }
    }

    private string TimeAxisLabel()
    {
        var offset = TimeZone.GetUtcOffset(Time.GetUtcNow());
        return offset == TimeSpan.Zero
            ? "Time (UTC)"
            : FormattableString.Invariant($@"Time (UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\:mm})");
    }
}
