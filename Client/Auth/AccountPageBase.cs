using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Auth;

/// <summary>
/// What the account pages (tokens, users, audit) share: the account API, and a reload whenever
/// the user logs in or out, so each page only says what it loads.
/// </summary>
public abstract class AccountPageBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposing = new();
    private IDisposable? _subscription;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required UserSession Session { get; init; }

    protected AccountApi Api { get; private set; } = null!;

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken Disposing => _disposing.Token;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _subscription?.Dispose();
            _disposing.Cancel();
            _disposing.Dispose();
        }
    }

    protected override async Task OnInitializedAsync()
    {
        Api = new AccountApi(Http);
        _subscription = Session.SubscribeChanged(() => InvokeAsync(LoadAsync));
        await Session.EnsureLoadedAsync(_disposing.Token);
        await LoadAsync();
    }

    /// <summary>Loads what the page shows for the current user, and renders it.</summary>
    protected abstract Task LoadAsync();
}
