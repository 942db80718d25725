using System.Net.Http.Json;
using System.Text.Json;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Auth;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Client.Auth;

/// <summary>
/// Who is using the dashboard, from <c>GET /api/auth/me</c>, shared by every page so that buttons
/// the user may not use are hidden or disabled. Only a convenience: the server enforces every role.
/// </summary>
public sealed class UserSession(HttpClient http, ILogger<UserSession> logger)
{
    private static readonly CurrentUser Nobody = new(null, [], AnonymousRead: true);
    private readonly CallbackRegistry<CurrentUser> _changed = new();
    private bool _loaded;
    private Task? _loading;

    public CurrentUser Current { get; private set; } = Nobody;

    public bool IsLoggedIn => Current.IsAuthenticated;

    /// <summary>Calls <paramref name="onChanged"/> whenever the user changes, until disposed.</summary>
    public IDisposable SubscribeChanged(Func<Task> onChanged) => _changed.Add(_ => onChanged());

    /// <summary>Whether the user holds <paramref name="role"/> or one above it.</summary>
    public bool Has(string role) => Current.Has(role);

    /// <summary>
    /// Why a control is disabled: null when the user holds <paramref name="role"/> (or one above),
    /// else which role to log in as to <paramref name="action"/>.
    /// </summary>
    public string? MissingRoleHint(string role, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        return Has(role) ? null : $"Log in as {("aeiou".Contains(role[0], StringComparison.Ordinal) ? "an" : "a")} {role} (or above) to {action}";
    }

    /// <summary>
    /// Asks the server once; later calls return at once. Calls made while the answer is on its way
    /// (the layout's menu and the page both ask on their first render) wait for that same answer,
    /// and after a failed ask the next call asks again.
    /// </summary>
    public Task EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded)
        {
            return Task.CompletedTask;
        }

        if (_loading is not { IsCompleted: false })
        {
            // Not under the caller's token: other components may be waiting for the same answer.
            _loading = LoadAsync();
        }

        return _loading.WaitAsync(cancellationToken);
    }

    private async Task LoadAsync()
    {
        try
        {
            var me = await http.GetFromJsonAsync(new Uri(ApiPaths.Relative(AuthRoutes.Me), UriKind.Relative), AuthJsonContext.Default.CurrentUser);
            if (me is not null)
            {
                await SetAsync(me);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or NotSupportedException)
        {
            // The server is away: keep what is known; the live-connection pill says the rest.
        }
    }

    /// <summary>Takes <paramref name="user"/> as the current user (after login, or preset by a test).</summary>
    public Task SetAsync(CurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _loaded = true;
        Current = user;
        return _changed.InvokeAsync(user, logger);
    }

    /// <summary>Logs in; null when done, else the server's reason.</summary>
    public async Task<string?> LoginAsync(string userName, string password, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(
                new Uri(ApiPaths.Relative(AuthRoutes.Login), UriKind.Relative),
                new LoginRequest(userName, password),
                AuthJsonContext.Default.LoginRequest,
                cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return await ProblemText.ReadAsync(response, cancellationToken);
            }

            if (await response.Content.ReadFromJsonAsync(AuthJsonContext.Default.CurrentUser, cancellationToken) is { } me)
            {
                await SetAsync(me);
            }

            return null;
        }
        catch (HttpRequestException exception)
        {
            return "The server could not be reached: " + exception.Message;
        }
    }

    public async Task LogoutAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsync(new Uri(ApiPaths.Relative(AuthRoutes.Logout), UriKind.Relative), null, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Forget the user here anyway; the cookie ends with the browser session at the latest.
        }

        await SetAsync(Nobody with { AnonymousRead = Current.AnonymousRead });
    }
}
