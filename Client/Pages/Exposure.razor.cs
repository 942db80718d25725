using Clovers.Monitor.Client.Exposure;
using Clovers.Monitor.Client.Trends;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// The exposure and sensitivity panel: protons on target, kg·days, expected counts and the
/// significance so far, with its projection to 5σ. Reloaded every minute; exposure grows slowly.
/// </summary>
public sealed partial class Exposure : ComponentBase, IAsyncDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _disposing = new();
    private readonly List<ITrace> _traces = [];
    private readonly Plotly.Blazor.Layout _layout = ExposureDisplay.Layout();
    private readonly Config _config = TrendChart.Config();
    private PlotlyChart? _chart;
    private ExposureApi _api = null!;
    private ExposureReport? _report;
    private Task _refreshLoop = Task.CompletedTask;
    private string _state = "loading";
    private string? _error;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    private static TimeZoneInfo TimeZone => TimeZoneInfo.Utc;

    private string StatusText => _state switch
    {
        "loading" => "Loading the exposure…",
        "error" => $"Could not load the exposure: {_error}",
        _ when _report is { } r => $"As of {r.To.UtcDateTime:yyyy-MM-dd HH:mm} UTC; refreshed every minute.",
        _ => string.Empty,
    };

    protected override void OnInitialized() => _api = new ExposureApi(Http);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await LoadAsync();
            _refreshLoop = RefreshLoopAsync(_disposing.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        try
        {
            await _refreshLoop;
        }
        catch (OperationCanceledException)
        {
            // Stopped with the page.
        }

        _disposing.Dispose();
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, Time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await InvokeAsync(LoadAsync);
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            _report = await _api.GetAsync(_disposing.Token);
            _state = "ready";
            _error = null;
            _traces.Clear();
            _traces.AddRange(ExposureDisplay.Traces(_report));
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !_disposing.IsCancellationRequested)
        {
            _state = "error";
            _error = ex.Message;
        }

        StateHasChanged();
        if (_chart is not null && _state == "ready" && !_disposing.IsCancellationRequested)
        {
            await _chart.React(_disposing.Token);
        }
    }
}
