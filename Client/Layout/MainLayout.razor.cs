using Clovers.Monitor.Client.Formatting;
using Clovers.Monitor.Client.Live;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Layout;

public sealed partial class MainLayout : LayoutComponentBase, IDisposable
{
    private IDisposable? _subscription;

    [Inject]
    public required ILiveData LiveData { get; init; }

    private string ConnectionKey => DisplayFormat.ConnectionKey(LiveData.ConnectionState);

    public void Dispose() => _subscription?.Dispose();

    protected override void OnInitialized()
    {
        _subscription = LiveData.SubscribeChanged(() => InvokeAsync(StateHasChanged));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Connecting only once the page is interactive keeps any server-side render from
        // opening a hub connection of its own.
        if (firstRender)
        {
            await LiveData.StartAsync();
        }
    }
}
