using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Client.Pages;

/// <summary>The logged-in user's personal API tokens: create (the secret shown once), list, revoke.</summary>
public sealed partial class Account : AccountPageBase
{
    private IReadOnlyList<ApiTokenInfo> _tokens = [];
    private string _name = "";
    private string? _created;
    private string? _error;
    private bool _busy;

    protected override async Task LoadAsync()
    {
        if (!Session.IsLoggedIn)
        {
            _tokens = [];
            StateHasChanged();
            return;
        }

        var result = await Api.TokensAsync(Disposing);
        _tokens = result.Value ?? [];
        _error = result.Error;
        StateHasChanged();
    }

    private async Task CreateAsync()
    {
        _busy = true;
        var result = await Api.CreateTokenAsync(_name.Trim(), Disposing);
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
        var result = await Api.RevokeTokenAsync(id, Disposing);
        _busy = false;
        _error = result.Error;
        await LoadAsync();
    }
}
