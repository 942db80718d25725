using System.Net.Http.Json;
using Clovers.Monitor.Client.Handover;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// The shift handover report of a window (the current shift by default), from the server's stored
/// data, with a print button and links to the printable page and the Markdown.
/// </summary>
public sealed partial class Handover : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposing = new();
    private HandoverReport? _report;
    private DateTime? _from;
    private DateTime? _to;
    private bool _loading;
    private string? _error;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required IJSRuntime Js { get; init; }

    public void Dispose()
    {
        _disposing.Cancel();
        _disposing.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            await LoadAsync(null, null);
        }
    }

    private Task LoadCurrentAsync() => LoadAsync(null, null);

    private Task LoadPreviousAsync()
    {
        var length = _report!.To - _report.From;
        return LoadAsync(_report.From - length, _report.From);
    }

    private Task LoadWindowAsync()
    {
        var from = HandoverWindow.FromInput(_from);
        var to = HandoverWindow.FromInput(_to);
        if (from is null || to is null || from >= to)
        {
            _error = "Give a start before the end, both in UTC.";
            return Task.CompletedTask;
        }

        return LoadAsync(from, to);
    }

    private async Task PrintAsync() => await Js.InvokeVoidAsync("print");

    private async Task LoadAsync(DateTimeOffset? from, DateTimeOffset? to)
    {
        _loading = true;
        try
        {
            using var response = await Http.GetAsync(new Uri(ApiPaths.Relative(HandoverRoutes.For(from, to)), UriKind.Relative), _disposing.Token);
            if (!response.IsSuccessStatusCode)
            {
                _error = $"The report could not be made: the server answered {(int)response.StatusCode}.";
                return;
            }

            _report = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.HandoverReport, _disposing.Token);
            _error = null;
            if (_report is not null)
            {
                _from = HandoverWindow.ToInput(_report.From);
                _to = HandoverWindow.ToInput(_report.To);
            }
        }
        catch (HttpRequestException exception)
        {
            _error = "The server cannot be reached: " + exception.Message;
        }
        finally
        {
            _loading = false;
        }
    }
}
