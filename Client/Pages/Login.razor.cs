using Clovers.Monitor.Client.Auth;
using Microsoft.AspNetCore.Components;

namespace Clovers.Monitor.Client.Pages;

/// <summary>
/// Name and password, sent to <c>POST /api/auth/login</c>; the server answers with a session
/// cookie the browser keeps (HttpOnly: no script, this one included, can read it). On success the
/// page goes back to where the user came from (<c>?returnUrl=</c>, this site only).
/// </summary>
public sealed partial class Login : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposing = new();
    private string _userName = "";
    private string _password = "";
    private string? _error;
    private bool _busy;

    [Inject]
    public required UserSession Session { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery]
    public string? ReturnUrl { get; set; }

    private bool CanSubmit => _userName.Trim().Length > 0 && _password.Length > 0;

    public void Dispose()
    {
        _disposing.Cancel();
        _disposing.Dispose();
    }

    /// <summary>A return path on this site, never an absolute URL elsewhere (no open redirect).</summary>
    public static string SafeReturnPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } path && path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal)
            ? path.TrimStart('/')
            : "";

    private async Task SubmitAsync()
    {
        if (!CanSubmit || _busy)
        {
            return;
        }

        _busy = true;
        _error = null;
        try
        {
            _error = await Session.LoginAsync(_userName.Trim(), _password, _disposing.Token);
        }
        finally
        {
            _busy = false;
        }

        if (_error is null)
        {
            _password = "";
            Navigation.NavigateTo(SafeReturnPath(ReturnUrl));
        }
    }
}
