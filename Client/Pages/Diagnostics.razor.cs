using System.Net.Http.Json;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// How this Server instance is doing: ingest rates, rejections, queues, store latency,
/// connections, agents' outboxes and memory. Reads <c>/api/diagnostics</c> every few seconds;
/// a failed read keeps the last figures on screen and says why they are not fresh.
/// </summary>
public sealed partial class Diagnostics : ComponentBase, IAsyncDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _disposing = new();
    private Task? _polling;
    private ServerDiagnostics? _diagnostics;
    private string? _error;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        if (_polling is not null)
        {
            await _polling;
        }

        _disposing.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        await RefreshAsync();
        _polling = PollAsync(_disposing.Token);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await RefreshAsync();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            _diagnostics = await Http.GetFromJsonAsync(ApiPaths.Relative(DiagnosticsRoutes.Diagnostics), DiagnosticsJsonContext.Default.ServerDiagnostics, _disposing.Token)
                ?? throw new InvalidOperationException("the server answered with nothing");
            _error = null;
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException && !_disposing.IsCancellationRequested)
        {
            _error = exception.Message;
        }
    }
}
