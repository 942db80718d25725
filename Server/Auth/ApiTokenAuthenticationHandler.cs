using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer clv_…</c>: a personal API token, looked up by its hash on every
/// request, so a revoked token or a disabled account stops working at once. The token never
/// reaches a log: failures name the reason, not the value.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenStore tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string BearerPrefix = "Bearer ";

    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization is { Count: 1 } header
        && header[0] is { } value
        && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var token = Request.Headers.Authorization[0]![BearerPrefix.Length..].Trim();
        var owner = await tokens.FindOwnerAsync(token, Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("The API token is unknown or revoked, or its account is disabled.");
        }

        var principal = AuthSchemes.Principal(owner.UserId, owner.UserName, owner.Roles, Scheme.Name, [new Claim(AuthSchemes.TokenIdClaim, owner.TokenId)]);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
