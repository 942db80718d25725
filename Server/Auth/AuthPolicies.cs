using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// The authorization policies, one per role and named like it. Roles are cumulative
/// (admin ⊇ expert ⊇ shifter ⊇ viewer): a policy is met by its role or any above it.
/// <list type="bullet">
/// <item><see cref="Viewer"/>: reading (GET and the hub); anonymous users meet it while <c>Auth:AnonymousRead</c> is true.</item>
/// <item><see cref="Shifter"/>: acknowledge, shelve, logbook.</item>
/// <item><see cref="Expert"/>: alarm rules, HV commands, the audit log.</item>
/// <item><see cref="Admin"/>: user accounts.</item>
/// </list>
/// Use them as <c>.RequireAuthorization(AuthPolicies.Shifter)</c> on an endpoint or
/// <c>[Authorize(Policy = AuthPolicies.Expert)]</c> on a hub method.
/// </summary>
public static class AuthPolicies
{
    public const string Viewer = MonitorRoles.Viewer;
    public const string Shifter = MonitorRoles.Shifter;
    public const string Expert = MonitorRoles.Expert;
    public const string Admin = MonitorRoles.Admin;

    /// <summary>Any logged-in user, whatever the role: for a user's own things (API tokens).</summary>
    public const string Account = "account";

    /// <summary>The name written as the acting user of anything done without logging in.</summary>
    public const string AnonymousUser = "anonymous";

    /// <summary>The logged-in user's name, or <see cref="AnonymousUser"/>.</summary>
    public static string UserName(System.Security.Claims.ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : AnonymousUser;
}
