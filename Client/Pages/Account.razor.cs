using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>The logged-in user's personal API tokens: create (the secret shown once), list, revoke.</summary>
public sealed partial class Account : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposing = new();
    private IDisposable? _subscription;
    private AccountApi _api = null!;
    private IReadOnlyList<ApiTokenInfo> _tokens = [];
    private string _name = "";
    private string? _created;
    private string? _error;
    private bool _busy;

    [Inject]
    public required HttpClient Http { get; init; }

    [Inject]
    public required UserSession Session { get; init; }

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposing.Cancel();
        _disposing.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _api = new AccountApi(Http);
        _subscription = Session.SubscribeChanged(() => InvokeAsync(LoadAsync));
        await Session.EnsureLoadedAsync(_disposing.Token);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (!Session.IsLoggedIn)
        {
            _tokens = [];
            StateHasChanged();
            return;
        }

        var result = await _api.TokensAsync(_disposing.Token);
        _tokens = result.Value ?? [];
        _error = result.Error;
        StateHasChanged();
    }

    private async Task CreateAsync()
    {
        _busy = true;
        var result = await _api.CreateTokenAsync(_name.Trim(), _disposing.Token);
        _busy = false;
        _error = result.Error;
        _created = result.Value?.Token;
        if (result.Succeeded)
        {
            _name = "";
            await LoadAsync();
        }
    }

    private async Task RevokeAsync(string id)
    {
        _busy = true;
        var result = await _api.RevokeTokenAsync(id, _disposing.Token);
        _busy = false;
        _error = result.Error;
        await LoadAsync();
    }
}
