using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Auth;

/// <summary>Who is logged in, with logout, or a link to log in; links to the pages of the user's roles.</summary>
public sealed partial class UserMenu : ComponentBase
{
    private readonly CancellationTokenSource _disposing = new();
    private IDisposable? _subscription;

    [Inject]
    public required UserSession Session { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    private string Role => Session.Current.Roles.OrderByDescending(MonitorRoles.Rank).FirstOrDefault() ?? MonitorRoles.Viewer;

    public void Dispose()
    {
        _subscription?.Dispose();
        _disposing.Cancel();
        _disposing.Dispose();
    }

    protected override void OnInitialized()
    {
        _subscription = Session.SubscribeChanged(() => InvokeAsync(StateHasChanged));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            await Session.EnsureLoadedAsync(_disposing.Token);
            SendToLoginWhenReadingNeedsIt();
        }
    }

    /// <summary>With anonymous reading off, every page but the login page would only show refusals.</summary>
    private void SendToLoginWhenReadingNeedsIt()
    {
        var here = Navigation.ToBaseRelativePath(Navigation.Uri);
        if (!Session.IsLoggedIn && !Session.Current.AnonymousRead && !here.StartsWith("login", StringComparison.OrdinalIgnoreCase))
        {
            Navigation.NavigateTo("login?returnUrl=" + Uri.EscapeDataString("/" + here));
        }
    }

    private async Task LogoutAsync()
    {
        await Session.LogoutAsync(_disposing.Token);
        Navigation.NavigateTo("login");
    }
}
