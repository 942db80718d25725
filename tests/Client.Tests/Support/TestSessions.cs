using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Shared.Auth;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Client.Tests.Support;

/// <summary>A <see cref="UserSession"/> already loaded with a user of a role (or nobody), so no page asks the server who is logged in.</summary>
public static class TestSessions
{
    public static string UserName(string role) => "test-" + role;

    public static CurrentUser User(string? role) =>
        role is null ? new CurrentUser(null, [], AnonymousRead: true) : new CurrentUser(UserName(role), [role], AnonymousRead: true);

    public static UserSession As(HttpClient http, string? role)
    {
        var session = new UserSession(http, NullLogger<UserSession>.Instance);
        // No subscriber yet, so this completes at once.
        session.SetAsync(User(role)).GetAwaiter().GetResult();
        return session;
    }
}
