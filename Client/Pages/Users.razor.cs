using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>Accounts, for admins: create (a generated password shown once), change role, disable, new password.</summary>
public sealed partial class Users : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposing = new();
    private IDisposable? _subscription;
    private AccountApi _api = null!;
    private IReadOnlyList<UserInfo> _users = [];
    private string _newName = "";
    private string _newRole = MonitorRoles.Viewer;
    private string? _message;
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
        if (Session.Has(MonitorRoles.Admin))
        {
            var result = await _api.UsersAsync(_disposing.Token);
            _users = result.Value ?? [];
            _error = result.Error;
        }

        StateHasChanged();
    }

    private async Task CreateAsync()
    {
        await RunAsync(async () =>
        {
            var result = await _api.CreateUserAsync(new CreateUserRequest(_newName.Trim(), _newRole, null), _disposing.Token);
            if (result.Value is { } created)
            {
                _message = $"Created '{created.User.Name}' ({created.User.Role}); password, shown only now: {created.GeneratedPassword}";
                _newName = "";
            }

            return result.Error;
        });
    }

    private Task SetRoleAsync(string name, string? role) =>
        RunAsync(async () => (await _api.UpdateUserAsync(name, new UpdateUserRequest(role, null), _disposing.Token)).Error);

    private Task SetDisabledAsync(string name, bool disabled) =>
        RunAsync(async () => (await _api.UpdateUserAsync(name, new UpdateUserRequest(null, disabled), _disposing.Token)).Error);

    private Task ResetPasswordAsync(string name) =>
        RunAsync(async () =>
        {
            var result = await _api.ResetPasswordAsync(name, _disposing.Token);
            if (result.Value?.GeneratedPassword is { } password)
            {
                _message = $"New password of '{name}', shown only now: {password}";
            }

            return result.Error;
        });

    private async Task RunAsync(Func<Task<string?>> action)
    {
        _busy = true;
        _message = null;
        try
        {
            _error = await action();
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }
}
