using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Client.Pages;

/// <summary>Accounts, for admins: create (a generated password shown once), change role, disable, new password.</summary>
public sealed partial class Users : AccountPageBase
{
    private IReadOnlyList<UserInfo> _users = [];
    private string _newName = "";
    private string _newRole = MonitorRoles.Viewer;
    private string? _message;
    private string? _error;
    private bool _busy;

    protected override async Task LoadAsync()
    {
        if (Session.Has(MonitorRoles.Admin))
        {
            var result = await Api.UsersAsync(Disposing);
            _users = result.Value ?? [];
            _error = result.Error;
        }

        StateHasChanged();
    }

    private async Task CreateAsync()
    {
        await RunAsync(async () =>
        {
            var result = await Api.CreateUserAsync(new CreateUserRequest(_newName.Trim(), _newRole, null), Disposing);
            if (result.Value is { } created)
            {
                _message = $"Created '{created.User.Name}' ({created.User.Role}); password, shown only now: {created.GeneratedPassword}";
                _newName = "";
            }

            return result.Error;
        });
    }

    private Task SetRoleAsync(string name, string? role) =>
        RunAsync(async () => (await Api.UpdateUserAsync(name, new UpdateUserRequest(role, null), Disposing)).Error);

    private Task SetDisabledAsync(string name, bool disabled) =>
        RunAsync(async () => (await Api.UpdateUserAsync(name, new UpdateUserRequest(null, disabled), Disposing)).Error);

    private Task ResetPasswordAsync(string name) =>
        RunAsync(async () =>
        {
            var result = await Api.ResetPasswordAsync(name, Disposing);
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
