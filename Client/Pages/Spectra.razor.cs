using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Spectra;
using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Plotly.Blazor;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// The NPE spectra of a DAQ's current run, one panel per sub-detector with the signal and
/// pretrace windows, optionally over a reference scaled to the same exposure. Loaded once from
/// the REST API, then kept current by hub pushes: each push only replaces the traces' counts and
/// asks Plotly to redraw in place. The pushes come over the shared live connection, and only while
/// this page subscribes: histograms travel only to a page that shows them.
/// Each panel also shows the 4–72 NPE rate over the last minutes, and experts may save the run as
/// a named reference.
/// </summary>
public sealed partial class Spectra : ComponentBase, IAsyncDisposable
{
    public const int SubDetectors = 4;

    /// <summary>The spans the rate of the analysis region is offered over, in minutes; the first is the default.</summary>
    public static readonly IReadOnlyList<int> RateSpans = [10, 60];

    private readonly PlotlyChart?[] _charts = new PlotlyChart?[SubDetectors];
    private readonly List<ITrace>[] _traces = [.. Enumerable.Range(0, SubDetectors).Select(_ => SpectraChart.EmptyTraces())];
    private readonly Plotly.Blazor.Layout[] _layouts = [.. Enumerable.Range(1, SubDetectors).Select(sd => SpectraChart.Layout(sd, logarithmic: true))];
    private readonly Config _config = TrendChart.Config();
    private readonly Dictionary<string, SpectrumData> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SpectrumData> _reference = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposing = new();
    private readonly RateRefreshSchedule _rateSchedule = new(SubDetectors);
    private readonly PanelRate?[] _rates = new PanelRate?[SubDetectors];

    private List<string> _daqs = [];
    private IReadOnlyList<SpectraRunInfo> _runs = [];
    private IReadOnlyList<SpectrumReferenceInfo> _references = [];
    private string? _daqId;
    private string _referenceChoice = string.Empty;
    private bool _logarithmic = true;
    private string _state = "loading";
    private string? _error;
    private bool _reloading;
    private IAsyncDisposable? _spectraSubscription;
    private IDisposable? _sessionSubscription;
    private int _rateMinutes = RateSpans[0];
    private (string DaqId, long? Run, int Minutes)? _rateContext;
    private bool _saveFormOpen;
    private string _referenceName = string.Empty;
    private bool _saving;
    private string? _saveResult;
    private string? _saveError;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required ILiveData LiveData { get; init; }

    /// <summary>Who is looking: saving a reference is for experts (the server checks again).</summary>
    [Inject]
    public required UserSession Session { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required ILogger<Spectra> Logger { get; init; }

    /// <summary>Optional deep link: <c>?daq=daq-sim</c>.</summary>
    [SupplyParameterFromQuery(Name = "daq")]
    public string? DaqQuery { get; set; }

    private long? CurrentRun => _current.Values.FirstOrDefault()?.Summary.Run;

    private bool CanSaveReference => Session.Has(MonitorRoles.Expert) && _daqId is not null && CurrentRun is not null;

    private string? SaveReferenceHint =>
        Session.MissingRoleHint(MonitorRoles.Expert, "save a reference") ?? (CurrentRun is null ? "No run to save yet" : null);

    private string StatusText => _state switch
    {
        "loading" => "Loading spectra…",
        "empty" => "No DAQ has sent histograms yet.",
        "error" => $"Could not load the spectra: {_error}",
        _ => _current.Values.FirstOrDefault()?.Summary is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"DAQ {s.DaqId}, run {s.Run}: {s.Triggers:N0} triggers, livetime {s.LivetimeSeconds / 3600:F2} h, {s.ProtonsOnTarget:0.###e+0} POT{(s.Simulated ? " (simulated)" : string.Empty)}. Updating live.")
            : "Updating live.",
    };

    public async ValueTask DisposeAsync()
    {
        _sessionSubscription?.Dispose();
        await _disposing.CancelAsync();
        if (_spectraSubscription is not null)
        {
            await _spectraSubscription.DisposeAsync();
        }

        _disposing.Dispose();
    }

    protected override void OnInitialized()
    {
        _sessionSubscription = Session.SubscribeChanged(() => InvokeAsync(StateHasChanged));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        var token = _disposing.Token;
        try
        {
            var subscription = await LiveData.SubscribeSpectraAsync(update => InvokeAsync(() => OnUpdateAsync(update)), token);
            if (_disposing.IsCancellationRequested)
            {
                // The page went while the hub was being asked; nobody else would end this subscription.
                await subscription.DisposeAsync();
                return;
            }

            _spectraSubscription = subscription;
            await Session.EnsureLoadedAsync(token);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            return;
        }

        await ReloadAsync();
    }

    private static string Key(int subDetector, DaqWindow window) => HistogramKeys.Npe(subDetector, window);

    private long? RoiCounts(int subDetector) =>
        _current.TryGetValue(Key(subDetector, DaqWindow.Signal), out var data) ? data.Summary.RoiCounts : null;

    private string RoiText(int subDetector)
    {
        if (!_current.TryGetValue(Key(subDetector, DaqWindow.Signal), out var data) || data.Summary.RoiCounts is not { } roi)
        {
            return "4–72 NPE: no data";
        }

        var rate = data.Summary.LivetimeSeconds > 0 ? roi / data.Summary.LivetimeSeconds : 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"4–72 NPE (signal window): {roi:N0} events, {rate * 86400:0.##} per day of livetime");
        if (_reference.TryGetValue(Key(subDetector, DaqWindow.Signal), out var reference)
            && reference.Summary.RoiCounts is { } referenceRoi
            && SpectraChart.ReferenceScale(data.Summary, reference.Summary) is { } scale)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; reference at this exposure: {referenceRoi * scale:N1}");
        }

        return text;
    }

    private string? RateValue(int subDetector) =>
        _rates[subDetector - 1]?.Rate?.RoiRatePerSecond?.ToString("R", CultureInfo.InvariantCulture);

    private string RateText(int subDetector)
    {
        var span = string.Create(CultureInfo.InvariantCulture, $"4–72 NPE rate, last {_rateMinutes} min");
        return _rates[subDetector - 1] switch
        {
            null => $"{span}: loading…",
            { Error: { } error } => $"{span}: unavailable ({error})",
            { Rate: { RoiRatePerSecond: { } perSecond } rate } => string.Create(CultureInfo.InvariantCulture,
                $"{span}: {rate.RoiCounts:N0} events in {rate.LivetimeSeconds:0.#} s of livetime, {perSecond * 86400:0.##} per day of livetime"),
            // Early in a run the span's start falls on the newest snapshot: nothing gained yet.
            _ => $"{span}: no livetime gained yet",
        };
    }

    private async Task ReloadAsync()
    {
        if (_reloading || _disposing.IsCancellationRequested)
        {
            return;
        }

        _reloading = true;
        try
        {
            var token = _disposing.Token;
            var summaries = await Http.GetFromJsonAsync(ApiPaths.Relative(SpectraRoutes.Spectra), ApiJsonContext.Default.IReadOnlyListSpectrumSummary, token) ?? [];
            _daqs = [.. summaries.Select(s => s.DaqId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            _daqId = _daqs.Contains(DaqQuery ?? string.Empty, StringComparer.Ordinal) ? DaqQuery : _daqId is not null && _daqs.Contains(_daqId) ? _daqId : _daqs.FirstOrDefault();
            _current.Clear();
            if (_daqId is null)
            {
                _state = "empty";
                await RedrawAsync(token);
            }
            else
            {
                await LoadDaqAsync(_daqId, summaries, token);
                _state = "live";
                await RedrawAsync(token);
                await RefreshRatesAsync(Enumerable.Range(1, SubDetectors), token);
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or JSException or NotSupportedException)
        {
            Logger.LogWarning(exception, "Loading spectra failed");
            _error = exception.Message;
            _state = "error";
        }
        finally
        {
            _reloading = false;
        }

        StateHasChanged();
    }

    private async Task LoadDaqAsync(string daqId, IReadOnlyList<SpectrumSummary> summaries, CancellationToken token)
    {
        foreach (var key in NpeKeys())
        {
            if (summaries.Any(s => s.DaqId == daqId && s.Key == key)
                && await Http.GetFromJsonAsync(ApiPaths.Relative(SpectraRoutes.Histogram(daqId, key)), ApiJsonContext.Default.SpectrumData, token) is { } data)
            {
                _current[key] = data;
            }
        }

        _runs = await Http.GetFromJsonAsync(ApiPaths.Relative(SpectraRoutes.Runs(daqId)), ApiJsonContext.Default.IReadOnlyListSpectraRunInfo, token) ?? [];
        _references = await Http.GetFromJsonAsync(ApiPaths.Relative(SpectraRoutes.References(daqId)), ApiJsonContext.Default.IReadOnlyListSpectrumReferenceInfo, token) ?? [];
        await LoadReferenceAsync(token);
    }

    private async Task LoadReferenceAsync(CancellationToken cancellationToken)
    {
        _reference.Clear();
        if (_daqId is null || _referenceChoice.Length == 0)
        {
            return;
        }

        foreach (var key in NpeKeys())
        {
            var route = _referenceChoice.StartsWith("ref:", StringComparison.Ordinal)
                ? SpectraRoutes.Histogram(_daqId, key, reference: _referenceChoice[4..])
                : SpectraRoutes.Histogram(_daqId, key, run: long.Parse(_referenceChoice[4..], CultureInfo.InvariantCulture));
            using var response = await Http.GetAsync(ApiPaths.Relative(route), cancellationToken);
            if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.SpectrumData, cancellationToken) is { } data)
            {
                _reference[key] = data;
            }
        }
    }

    /// <summary>A push: new counts for the traces when the binning is known, else a fresh load.</summary>
    private async Task OnUpdateAsync(SpectraUpdate update)
    {
        if (_state is "empty" || _daqId is null)
        {
            await ReloadAsync();
            return;
        }

        if (update.DaqId != _daqId || _disposing.IsCancellationRequested)
        {
            if (!_daqs.Contains(update.DaqId, StringComparer.Ordinal))
            {
                _daqs = [.. _daqs.Append(update.DaqId).Order(StringComparer.Ordinal)];
                StateHasChanged();
            }

            return;
        }

        foreach (var counts in update.Histograms.Where(h => h.Counts.Count > 0))
        {
            if (!_current.TryGetValue(counts.Key, out var data) || data.Summary.Run != update.Run || data.Counts.Count != counts.Counts.Count)
            {
                // A new run, a new histogram or another binning: the edges must come from the API.
                await ReloadAsync();
                return;
            }

            _current[counts.Key] = data with
            {
                Counts = counts.Counts,
                Summary = data.Summary with
                {
                    Seq = update.Seq,
                    SentAt = update.SentAt,
                    Triggers = update.Triggers,
                    LivetimeSeconds = update.LivetimeSeconds,
                    ProtonsOnTarget = update.ProtonsOnTarget,
                    TotalCounts = counts.Total,
                    RoiCounts = counts.Roi,
                },
            };
        }

        try
        {
            await RedrawAsync(_disposing.Token);
        }
        catch (Exception exception) when (exception is JSException or OperationCanceledException)
        {
            Logger.LogDebug(exception, "Redrawing spectra was interrupted");
        }

        StateHasChanged();
        var pushed = update.Histograms.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        try
        {
            if (await RefreshRatesAsync(Enumerable.Range(1, SubDetectors).Where(sd => pushed.Contains(Key(sd, DaqWindow.Signal))), _disposing.Token))
            {
                StateHasChanged();
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Asks for the rate of those panels that have not asked within the last minute; all of them
    /// when the DAQ, the run or the span changed, since what they show no longer applies.
    /// True when any panel asked.
    /// </summary>
    private async Task<bool> RefreshRatesAsync(IEnumerable<int> subDetectors, CancellationToken cancellationToken)
    {
        if (_daqId is not { } daqId)
        {
            return false;
        }

        var context = (daqId, CurrentRun, _rateMinutes);
        if (_rateContext != context)
        {
            _rateContext = context;
            _rateSchedule.Reset();
            Array.Clear(_rates);
        }

        var now = Time.GetUtcNow();
        var due = subDetectors.Where(sd => _rateSchedule.TryClaim(sd - 1, now)).ToList();
        foreach (var sd in due)
        {
            var rate = await LoadRateAsync(daqId, sd, context.Item3, cancellationToken);

            // The DAQ, run or span may have changed while this was under way; then its answer is moot.
            if (_rateContext == context)
            {
                _rates[sd - 1] = rate;
            }
        }

        return due.Count > 0;
    }

    private async Task<PanelRate> LoadRateAsync(string daqId, int subDetector, int minutes, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(ApiPaths.Relative(SpectraRoutes.Rate(daqId, Key(subDetector, DaqWindow.Signal), minutes)), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new PanelRate(null, await ProblemText.ReadDetailAsync(response, cancellationToken));
            }

            return await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.SpectrumRate, cancellationToken) is { } rate
                ? new PanelRate(rate, null)
                : new PanelRate(null, "empty answer");
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or NotSupportedException)
        {
            Logger.LogWarning(exception, "Loading the rate of sub-detector {SubDetector} failed", subDetector);
            return new PanelRate(null, exception.Message);
        }
    }

    private async Task OnRateMinutesChangedAsync(ChangeEventArgs args)
    {
        if (!int.TryParse(args.Value as string, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes) || !RateSpans.Contains(minutes))
        {
            return;
        }

        _rateMinutes = minutes;
        try
        {
            await RefreshRatesAsync(Enumerable.Range(1, SubDetectors), _disposing.Token);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
        }
    }

    private void OpenSaveForm()
    {
        _saveFormOpen = true;
        _saveResult = null;
        _saveError = null;
    }

    private void CloseSaveForm()
    {
        _saveFormOpen = false;
        _saveError = null;
    }

    /// <summary>Saves the run on show under the typed name; the server's answer, or its refusal, is shown.</summary>
    private async Task SaveReferenceAsync()
    {
        if (_saving || _daqId is not { } daqId || CurrentRun is not { } run)
        {
            return;
        }

        _saving = true;
        _saveError = null;
        _saveResult = null;
        try
        {
            using var response = await Http.PostAsJsonAsync(
                ApiPaths.Relative(SpectraRoutes.References(daqId)),
                new SpectrumReferenceRequest(_referenceName.Trim(), run),
                ApiJsonContext.Default.SpectrumReferenceRequest,
                _disposing.Token);
            if (!response.IsSuccessStatusCode)
            {
                _saveError = await ProblemText.ReadAsync(response, _disposing.Token);
            }
            else if (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.SpectrumReferenceInfo, _disposing.Token) is { } saved)
            {
                // Newest first, as the server lists them; a name saved again replaces its old entry.
                _references = [saved, .. _references.Where(r => r.Name != saved.Name)];
                _saveResult = string.Create(CultureInfo.InvariantCulture,
                    $"Saved run {saved.Run} of {saved.DaqId} as reference “{saved.Name}” ({saved.Histograms} histograms).");
                _saveFormOpen = false;
                _referenceName = string.Empty;
            }
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or NotSupportedException)
        {
            _saveError = "The server could not be reached: " + exception.Message;
        }
        finally
        {
            _saving = false;
        }
    }

    /// <summary>Refills every panel's traces and has Plotly redraw each chart in place.</summary>
    private async Task RedrawAsync(CancellationToken cancellationToken)
    {
        for (var index = 0; index < SubDetectors; index++)
        {
            var sd = index + 1;
            var traces = _traces[index];
            Fill(traces[SpectraChart.SignalTrace], traces[SpectraChart.ReferenceSignalTrace], Key(sd, DaqWindow.Signal));
            Fill(traces[SpectraChart.PretraceTrace], traces[SpectraChart.ReferencePretraceTrace], Key(sd, DaqWindow.Pretrace));
            if (_charts[index] is { } chart)
            {
                await chart.React(cancellationToken);
            }
        }
    }

    private void Fill(ITrace trace, ITrace referenceTrace, string key)
    {
        _current.TryGetValue(key, out var data);
        SpectraChart.Fill(trace, data?.Edges, data?.Counts);
        if (data is not null && _reference.TryGetValue(key, out var reference) && reference.Counts.Count == data.Counts.Count
            && SpectraChart.ReferenceScale(data.Summary, reference.Summary) is { } scale)
        {
            SpectraChart.Fill(referenceTrace, reference.Edges, reference.Counts, scale);
        }
        else
        {
            SpectraChart.Fill(referenceTrace, null, null);
        }
    }

    private async Task SetScaleAsync(bool logarithmic)
    {
        _logarithmic = logarithmic;
        foreach (var layout in _layouts)
        {
            SpectraChart.SetScale(layout, logarithmic);
        }

        await RedrawAsync(_disposing.Token);
    }

    private async Task OnDaqChangedAsync(ChangeEventArgs args)
    {
        _daqId = args.Value as string;
        DaqQuery = _daqId;
        _referenceChoice = string.Empty;
        await ReloadAsync();
    }

    private async Task OnReferenceChangedAsync(ChangeEventArgs args)
    {
        _referenceChoice = args.Value as string ?? string.Empty;
        try
        {
            await LoadReferenceAsync(_disposing.Token);
            await RedrawAsync(_disposing.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or JSException)
        {
            Logger.LogWarning(exception, "Loading the reference failed");
        }
    }

    private static IEnumerable<string> NpeKeys() =>
        Enumerable.Range(1, SubDetectors).SelectMany(sd => new[] { Key(sd, DaqWindow.Signal), Key(sd, DaqWindow.Pretrace) });

    /// <summary>A panel's rate, or why there is none.</summary>
    private sealed record PanelRate(SpectrumRate? Rate, string? Error);
}
