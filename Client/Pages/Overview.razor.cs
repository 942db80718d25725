using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Overview;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

public sealed partial class Overview : ComponentBase, IAsyncDisposable
{
    // Ages tick even when no data arrives; a silent channel must visibly grow older.
    private static readonly TimeSpan AgeRefreshInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _disposing = new();
    private IDisposable? _subscription;
    private Task _ageRefresh = Task.CompletedTask;

    [Inject]
    public required ILiveData LiveData { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    private OverviewSummary Summary => OverviewModel.Build(LiveData.Channels.Values, LiveData.Agents.Values);

    private DateTimeOffset ServerNow => Time.GetUtcNow() + LiveData.ServerClockOffset;

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await _disposing.CancelAsync();
        try
        {
            await _ageRefresh;
        }
        catch (OperationCanceledException)
        {
        }

        _disposing.Dispose();
    }

    protected override void OnInitialized()
    {
        _subscription = LiveData.SubscribeChanged(() => InvokeAsync(StateHasChanged));
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _ageRefresh = RefreshAgesAsync(_disposing.Token);
        }
    }

    private static string TrendLink(string channelId) => $"trends?channels={Uri.EscapeDataString(channelId)}&range=1h";

    private async Task RefreshAgesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(AgeRefreshInterval, Time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await InvokeAsync(StateHasChanged);
        }
    }
}
