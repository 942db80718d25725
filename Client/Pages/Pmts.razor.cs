using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Formatting;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Pmts;
using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Plotly.Blazor;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// The eight PMTs at a glance (which one is off, and why), their trends, and, for experts, the
/// HV control: arm a change, see the old and new setpoint, confirm. A confirmed change keeps its
/// command id until it has a final outcome, so sending it again after "unknown" is safe. The
/// selected PMT's trends load from history and then extend live, as on the Trends page. Each
/// PMT's SPE gain drift shows with the reference it is measured against; experts re-take that
/// reference (one PMT or the whole DAQ) with the same arm-then-confirm step.
/// </summary>
public sealed partial class Pmts : ComponentBase, IAsyncDisposable
{
    public const int BaselinePoints = 288;
    public const int ChartPoints = 600;

    private static readonly TimeSpan BaselineSpan = TimeSpan.FromHours(24);
    private static readonly TimeSpan ChartSpan = TimeSpan.FromHours(6);

    private readonly TrendPageLifetime _lifetime = new();
    private readonly Dictionary<string, DarkRateBaseline> _baselines = new(StringComparer.Ordinal);
    private readonly Config _config = TrendChart.Config();
    private readonly List<IDisposable> _subscriptions = [];

    // Replaced whole when another PMT is picked: live updates read it off the dispatcher.
    private volatile ChartPanel[] _panels = [];
    private HvPolicyView? _policy;
    private string? _selected;
    private bool _chartsPending;
    private string? _newVolts;
    private string? _armError;
    private ArmedChange? _armed;
    private HvChangeResult? _result;
    private bool _sending;
    private Dictionary<string, SpeGainInfo> _fits = new(StringComparer.Ordinal);
    private Dictionary<string, SpeGainReferenceInfo> _stored = new(StringComparer.Ordinal);
    private ArmedRetake? _retakeArmed;
    private GainReferenceResult? _retakeResult;
    private bool _retaking;

    [Inject]
    public required ILiveData LiveData { get; init; }

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<Pmts> Logger { get; init; }

    /// <summary>Who is looking: the HV control shows for experts only (the server checks again).</summary>
    [Inject]
    public required UserSession Session { get; init; }

    private bool IsExpert => Session.Has(MonitorRoles.Expert);

    private ControlApi Api => new(Http);

    private GainReferenceApi GainApi => new(Http);

    private IReadOnlyList<PmtRow> Rows => PmtTable.Build(LiveData.Channels, _baselines);

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
        _subscriptions.Add(LiveData.SubscribeChanged(() => InvokeAsync(OnLiveChangedAsync)));
        _subscriptions.Add(LiveData.SubscribeChannelUpdates(OnChannelUpdates));
        _subscriptions.Add(LiveData.SubscribeBackfillNeeded(_ => InvokeAsync(ReloadChartsAsync)));
        _subscriptions.Add(Session.SubscribeChanged(() => InvokeAsync(LoadPolicyAsync)));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            var token = _lifetime.Disposing;
            _lifetime.StartFlushLoop(Time, InvokeAsync, FlushAsync, Logger);
            await Session.EnsureLoadedAsync(token);
            await LoadPolicyAsync();
            await LoadGainsAsync(token);
            await LoadBaselinesAsync(token);
            StateHasChanged();
        }

        if (_chartsPending)
        {
            _chartsPending = false;
            await ReloadChartsAsync();
        }
    }

    private async Task LoadPolicyAsync()
    {
        if (IsExpert && _policy is null)
        {
            _policy = await Api.PolicyAsync(_lifetime.Disposing);
        }

        StateHasChanged();
    }

    private static string Volts(double? value) => DisplayFormat.ValueWithUnit(value, "V");

    private static string Signed(double? value, string unit) =>
        value is { } v ? v.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " " + unit : DisplayFormat.Missing;

    private static string BaselineText(DarkRateBaseline? baseline) =>
        baseline is { } b
            ? FormattableString.Invariant($"{b.Median:0.#} Hz ({b.Low:0.#}–{b.High:0.#})")
            : DisplayFormat.Missing;

    private Task SelectAsync(string pmt)
    {
        if (pmt == _selected)
        {
            return Task.CompletedTask;
        }

        _selected = pmt;
        _armed = null;
        _armError = null;
        _result = null;
        _newVolts = null;
        _retakeArmed = null;
        _retakeResult = null;
        _panels =
        [
            new ChartPanel("hv", "HV readback and setpoint (V)", [PmtTable.HvRead(pmt), PmtTable.HvSet(pmt)]),
            new ChartPanel("current", "Current (µA)", [PmtTable.Current(pmt)]),
            new ChartPanel("darkrate", "Dark rate (Hz)", [PmtTable.DarkRate(pmt)]),
            new ChartPanel("gain", "Gain (pC)", [PmtTable.Gain(pmt)]),
        ];
        _lifetime.CancelLoad();
        _chartsPending = true;
        return Task.CompletedTask;
    }

    private bool CanArm(PmtRow row) => !string.IsNullOrWhiteSpace(_newVolts) && row.HvSet is not null;

    private void Arm(PmtRow row)
    {
        _result = null;
        if (!double.TryParse(_newVolts, NumberStyles.Float, CultureInfo.InvariantCulture, out var volts) || !double.IsFinite(volts))
        {
            _armError = $"'{_newVolts}' is not a voltage.";
            return;
        }

        if (row.HvSet is not { } old || !LiveData.Channels.TryGetValue(PmtTable.HvSet(row.Pmt), out var setChannel))
        {
            _armError = "The current setpoint is not known yet.";
            return;
        }

        _armError = null;
        _armed = new ArmedChange(setChannel.AgentId, row.Pmt, old, volts, Guid.NewGuid().ToString("N"));
    }

    private void Disarm()
    {
        _armed = null;
    }

    private async Task ConfirmAsync()
    {
        if (_armed is not { } armed || _sending)
        {
            return;
        }

        _sending = true;
        try
        {
            var result = await Api.SetHvAsync(new HvCommandRequest(armed.AgentId, armed.Pmt, armed.NewVolts, armed.CommandId), _lifetime.Disposing);
            _result = result;
            // Only an unknown outcome keeps the change armed: sending it again (same id) finds out what happened.
            _armed = result.Command is { Outcome: ControlOutcome.Unknown } ? armed with { Attempts = armed.Attempts + 1 } : null;
            if (result.Command is { Outcome: ControlOutcome.Accepted })
            {
                _newVolts = null;
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsDisposing)
        {
            return;
        }
        finally
        {
            _sending = false;
        }
    }

    /// <summary>The newest SPE fits with the reference each drift is measured against, and the references stored per DAQ.</summary>
    private async Task LoadGainsAsync(CancellationToken cancellationToken)
    {
        var fits = await GainApi.LatestFitsAsync(cancellationToken);
        var stored = new Dictionary<string, SpeGainReferenceInfo>(StringComparer.Ordinal);
        foreach (var daqId in fits.Select(static f => f.DaqId).Distinct(StringComparer.Ordinal))
        {
            foreach (var reference in await GainApi.StoredAsync(daqId, cancellationToken))
            {
                stored[reference.Pmt] = reference;
            }
        }

        _fits = fits.GroupBy(static f => f.Pmt, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.MaxBy(static f => f.At)!, StringComparer.Ordinal);
        _stored = stored;
    }

    /// <summary>The DAQ whose spectra fit <paramref name="pmt"/>; null before its first fit.</summary>
    private string? DaqOf(string pmt) => _fits.GetValueOrDefault(pmt)?.DaqId ?? _stored.GetValueOrDefault(pmt)?.DaqId;

    /// <summary>Why the re-take buttons are disabled; null when they are not.</summary>
    private string? RetakeHint(string? daqId) =>
        Session.MissingRoleHint(MonitorRoles.Expert, "re-take gain references") ?? (daqId is null ? "No SPE fit of this PMT yet to take a reference from" : null);

    private void ArmRetake(string daqId, string? pmt)
    {
        _retakeResult = null;
        _retakeArmed = new ArmedRetake(daqId, pmt);
    }

    private void DisarmRetake()
    {
        _retakeArmed = null;
    }

    private async Task ConfirmRetakeAsync()
    {
        if (_retakeArmed is not { } retake || _retaking)
        {
            return;
        }

        _retaking = true;
        try
        {
            var result = await GainApi.RetakeAsync(retake.DaqId, retake.Pmt, _lifetime.Disposing);
            _retakeResult = result;
            _retakeArmed = null;
            if (result.Stored is { } taken)
            {
                foreach (var reference in taken)
                {
                    _stored[reference.Pmt] = reference;
                }

                // The fits' drifts are now measured against the new references.
                await LoadGainsAsync(_lifetime.Disposing);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsDisposing)
        {
            return;
        }
        finally
        {
            _retaking = false;
        }
    }

    private async Task LoadBaselinesAsync(CancellationToken cancellationToken)
    {
        var to = Time.GetUtcNow() + LiveData.ServerClockOffset;
        var results = await Task.WhenAll(PmtTable.Pmts.Select(async pmt => (pmt, history: await HistoryAsync(PmtTable.DarkRate(pmt), to - BaselineSpan, to, BaselinePoints, cancellationToken))));
        foreach (var (pmt, history) in results)
        {
            if (history is not null
                && DarkRateBaseline.FromMeans(history.Buckets.Where(static b => b.Count > 0 && b.Mean is not null).Select(static b => b.Mean!.Value)) is { } baseline)
            {
                _baselines[pmt] = baseline;
            }
        }
    }

    /// <summary>Loads every panel of the selected PMT again, cancelling a load still running.</summary>
    private async Task ReloadChartsAsync()
    {
        if (_panels.Length == 0 || _lifetime.IsDisposing)
        {
            return;
        }

        var cancellationToken = await _lifetime.BeginLoadAsync();
        try
        {
            foreach (var panel in _panels)
            {
                await LoadPanelAsync(panel, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        StateHasChanged();
    }

    private async Task LoadPanelAsync(ChartPanel panel, CancellationToken cancellationToken)
    {
        if (panel.Trend.Chart is null)
        {
            return;
        }

        // Updates queue from here on, so none between the history's end and the first append is lost.
        panel.Trend.Watch(panel.Channels);
        panel.KnownAtLoad = panel.Channels.Where(LiveData.Channels.ContainsKey).ToHashSet(StringComparer.Ordinal);
        var to = Time.GetUtcNow() + LiveData.ServerClockOffset;
        var from = to - ChartSpan;
        var histories = new List<ChannelHistory>();
        var channels = new List<TrendChannel>();
        foreach (var channel in panel.Channels)
        {
            if (LiveData.Channels.TryGetValue(channel, out var state)
                && await HistoryAsync(channel, from, to, ChartPoints, cancellationToken) is { } history)
            {
                histories.Add(history);
                channels.Add(new TrendChannel(channel, state.Unit, state.Description));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await panel.Trend.DrawAsync(histories, channels, TimeZoneInfo.Local, "Time", cancellationToken);
            panel.State = histories.Count == 0 ? "empty" : "loaded";
        }
        catch (JSException ex)
        {
            Logger.LogWarning(ex, "Drawing the {Panel} chart of {Pmt} failed", panel.Key, _selected);
            panel.State = "error";
        }
    }

    private Task OnChannelUpdates(IReadOnlyList<ChannelUpdate> updates)
    {
        foreach (var panel in _panels)
        {
            panel.Trend.Enqueue(updates);
        }

        return Task.CompletedTask;
    }

    private async Task OnLiveChangedAsync()
    {
        StateHasChanged();

        // A channel that shows up after its panel loaded (the gain, once the first SPE fit is
        // done) gets its history and joins the live appends.
        if (_lifetime.ActiveLoad is not { } cancellationToken)
        {
            return;
        }

        try
        {
            foreach (var panel in _panels)
            {
                if (panel.KnownAtLoad is { } known && panel.Channels.Any(c => !known.Contains(c) && LiveData.Channels.ContainsKey(c)))
                {
                    await LoadPanelAsync(panel, cancellationToken);
                    StateHasChanged();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync()
    {
        var now = Time.GetUtcNow() + LiveData.ServerClockOffset;
        var cancellationToken = _lifetime.AppendToken;
        foreach (var panel in _panels)
        {
            await panel.Trend.FlushAsync(now, cancellationToken);
            if (panel.Trend.NeedsReload)
            {
                await LoadPanelAsync(panel, cancellationToken);
            }
        }
    }

    private async Task<ChannelHistory?> HistoryAsync(string channel, DateTimeOffset from, DateTimeOffset to, int points, CancellationToken cancellationToken)
    {
        try
        {
            return await Http.GetFromJsonAsync(ApiPaths.Relative(ApiRoutes.History(channel, from, to, points)), ApiJsonContext.Default.ChannelHistory, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException)
        {
            Logger.LogWarning(ex, "Loading the history of {Channel} failed", channel);
            return null;
        }
    }

    /// <summary>A change waiting for confirmation; its command id stays the same for every send.</summary>
    private sealed record ArmedChange(string AgentId, string Pmt, double OldVolts, double NewVolts, string CommandId)
    {
        public int Attempts { get; init; }
    }

    /// <summary>A re-take waiting for confirmation: one PMT, or every PMT of the DAQ when <see cref="Pmt"/> is null.</summary>
    private sealed record ArmedRetake(string DaqId, string? Pmt);

    private sealed class ChartPanel(string key, string title, IReadOnlyList<string> channels)
    {
        public string Key { get; } = key;

        public string Title { get; } = title;

        public IReadOnlyList<string> Channels { get; } = channels;

        public LiveTrendChart Trend { get; } = new();

        /// <summary>Which of <see cref="Channels"/> the server knew when this panel last loaded; null before.</summary>
        public HashSet<string>? KnownAtLoad { get; set; }

        public string State { get; set; } = "loading";
    }
}
