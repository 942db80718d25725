namespace Clovers.Monitor.Shared.Auth;

/// <summary>
/// The four roles, cumulative: an admin may do everything an expert may, an expert everything a
/// shifter may, a shifter everything a viewer may.
/// </summary>
public static class MonitorRoles
{
    public const string Viewer = "viewer";
    public const string Shifter = "shifter";
    public const string Expert = "expert";
    public const string Admin = "admin";

    /// <summary>Lowest first.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Shifter, Expert, Admin];

    /// <summary>Position in <see cref="All"/> (0 = viewer), or -1 for a name that is no role.</summary>
    public static int Rank(string? role)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], role, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether someone holding <paramref name="roles"/> has at least <paramref name="required"/>.</summary>
    public static bool Allows(IEnumerable<string> roles, string required)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var needed = Rank(required);
        return needed >= 0 && roles.Any(r => Rank(r) >= needed);
    }

    /// <summary>The canonical (lower-case) name of a role, or null for a name that is no role.</summary>
    public static string? Canonical(string? role) => Rank(role) is var rank and >= 0 ? All[rank] : null;
}

public static class AuthRoutes
{
    public const string Login = "/api/auth/login";
    public const string Logout = "/api/auth/logout";
    public const string Me = "/api/auth/me";
    public const string Tokens = "/api/auth/tokens";
    public const string Users = "/api/users";
    public const string Audit = "/api/audit";
    public const string AuditCsv = "/api/audit.csv";

    public static string Token(string id) => Tokens + "/" + Uri.EscapeDataString(id);

    public static string User(string name) => Users + "/" + Uri.EscapeDataString(name);

    public static string UserPassword(string name) => User(name) + "/password";
}

/// <summary>
/// A header every cookie-authenticated POST, PUT, PATCH or DELETE must carry. A cross-site form
/// cannot set a header, and a cross-site script that tries needs a CORS preflight the server
/// never grants, so its presence proves the request came from the dashboard's own scripts.
/// </summary>
public static class CsrfHeader
{
    public const string Name = "X-Clovers-Request";
    public const string Value = "1";
}

public sealed record LoginRequest(string UserName, string Password);

/// <summary>Who the browser or token is: <c>Name</c> null when anonymous; whether anonymous users may read.</summary>
public sealed record CurrentUser(string? Name, IReadOnlyList<string> Roles, bool AnonymousRead)
{
    public bool IsAuthenticated => Name is not null;

    public bool Has(string role) => MonitorRoles.Allows(Roles, role);
}

public sealed record CreateTokenRequest(string Name);

/// <summary>A personal API token as listed: never the secret itself.</summary>
public sealed record ApiTokenInfo(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The answer to creating a token: <c>Token</c> is shown this once and stored only as a hash.</summary>
public sealed record ApiTokenCreated(ApiTokenInfo Info, string Token);

public sealed record UserInfo(string Name, string Role, bool Disabled, bool LockedOut, DateTimeOffset CreatedAt);

/// <summary>A new account; without a password one is generated and answered once.</summary>
public sealed record CreateUserRequest(string Name, string Role, string? Password);

public sealed record CreatedUser(UserInfo User, string? GeneratedPassword);

/// <summary>A change to an account: only the fields given change.</summary>
public sealed record UpdateUserRequest(string? Role, bool? Disabled);

public sealed record SetPasswordRequest(string? Password);

public sealed record PasswordSet(string? GeneratedPassword);

/// <summary>One row of the audit log as the API returns it.</summary>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset At,
    string User,
    string Action,
    string Target,
    string? OldValue,
    string? NewValue,
    string? Result,
    string? Detail);

/// <summary>A page of the audit log, newest first; <c>Total</c> counts every row matching the filters.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Entries, int Offset, int Limit, long Total);
