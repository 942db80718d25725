using System.Security.Claims;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// The authentication schemes: a session cookie for the browser (and its hub connection), a
/// bearer API token for scripts, and the default scheme that picks one per request.
/// </summary>
public static class AuthSchemes
{
    public const string Cookie = "clovers-cookie";
    public const string ApiToken = "clovers-token";
    public const string Default = "clovers";

    public const string CookieName = "clovers.session";

    /// <summary>Claim carrying the account's security stamp; a changed stamp ends every session of the account.</summary>
    public const string SecurityStampClaim = "clovers:stamp";

    /// <summary>Claim carrying the id of the API token a request came with.</summary>
    public const string TokenIdClaim = "clovers:token";

    /// <summary>A principal of an account with its roles, authenticated by <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal Principal(string userId, string userName, IEnumerable<string> roles, string scheme, IEnumerable<Claim>? extra = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, userName),
        };
        claims.AddRange(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        if (extra is not null)
        {
            claims.AddRange(extra);
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The roles of a principal as its role claims say.</summary>
    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true ? [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)] : [];
    }
}
