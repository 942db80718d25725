using System.Security.Claims;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// <c>/api/auth</c>: login and logout (the session cookie), who am I, and personal API tokens.
/// A failed login says only that name or password was wrong, and counts towards the lockout.
/// </summary>
public static class AuthEndpoints
{
    public const string LoginRateLimit = "login";

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<MonitorUser>().HashPassword(new MonitorUser(), Guid.NewGuid().ToString("N")));

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup(string.Empty).WithTags("Auth");

        // Anonymous by nature: this is how one stops being anonymous. Rate limited per address,
        // locked per account, and guarded against login CSRF by the required request header.
        auth.MapPost(AuthRoutes.Login, LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(LoginRateLimit)
            .WithSummary("Logs in with {userName, password}; sets the session cookie and answers who is logged in.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        // Anonymous because ending a session must always work, even for a session already gone.
        auth.MapPost(AuthRoutes.Logout, LogoutAsync)
            .AllowAnonymous()
            .WithSummary("Ends the browser session.");

        auth.MapGet(AuthRoutes.Me, Me)
            .AllowAnonymous()
            .WithSummary("Who is logged in (name null when nobody), their roles, and whether anonymous users may read.");

        var tokens = auth.MapGroup(AuthRoutes.Tokens).RequireAuthorization(AuthPolicies.Account);
        tokens.MapGet(string.Empty, ListTokensAsync).WithSummary("The caller's API tokens (never the secrets).");
        tokens.MapPost(string.Empty, CreateTokenAsync)
            .WithSummary("Creates an API token for the caller; the secret is in this answer only. Use it as 'Authorization: Bearer …'.")
            .ProducesValidationProblem();
        tokens.MapDelete("/{id}", RevokeTokenAsync)
            .WithSummary("Revokes one of the caller's API tokens at once.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<CurrentUser>, ProblemHttpResult, ValidationProblem>> LoginAsync(
        LoginRequest? request,
        UserManager<MonitorUser> users,
        UserAccounts accounts,
        IAuditLog audit,
        TimeProvider time,
        IOptionsMonitor<AuthOptions> options,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.UserName) || request.Password is null
            || request.UserName.Length > UserAccounts.MaxNameLength || request.Password.Length > 512)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["login"] = ["userName and password are required."] },
                title: "Invalid login");
        }

        var name = request.UserName.Trim();
        var user = await users.FindByNameAsync(name);
        string? refusal = null;
        if (user is null || user.Disabled)
        {
            // As slow as checking a real password, so the answer time does not tell which names exist.
            users.PasswordHasher.VerifyHashedPassword(new MonitorUser(), DummyHash.Value, request.Password);
            refusal = user is null ? "unknown user" : "account disabled";
        }
        else if (await users.IsLockedOutAsync(user))
        {
            await audit.AppendAsync(time, name, AuditActions.LoginFailed, name, AuditActions.Refused, cancellationToken, detail: "account locked");
            return TypedResults.Problem(
                "Too many failed logins: the account is locked for a while. An admin can unlock it by setting a new password.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Account locked");
        }
        else if (!await users.CheckPasswordAsync(user, request.Password))
        {
            await users.AccessFailedAsync(user);
            refusal = await users.IsLockedOutAsync(user) ? "wrong password; account now locked" : "wrong password";
        }

        if (refusal is not null || user is null)
        {
            await audit.AppendAsync(time, name, AuditActions.LoginFailed, name, AuditActions.Refused, cancellationToken, detail: refusal);
            return TypedResults.Problem("Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized, title: "Login failed");
        }

        await users.ResetAccessFailedCountAsync(user);
        var principal = await accounts.PrincipalAsync(user);
        await context.SignInAsync(AuthSchemes.Cookie, principal, new AuthenticationProperties { IsPersistent = false });
        await audit.AppendAsync(time, user.UserName, AuditActions.Login, user.UserName, AuditActions.Succeeded, cancellationToken);
        return TypedResults.Ok(new CurrentUser(user.UserName, AuthSchemes.RolesOf(principal), options.CurrentValue.AnonymousRead));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: AuthSchemes.Cookie, Name: { } name })
        {
            await audit.AppendAsync(time, name, AuditActions.Logout, name, AuditActions.Succeeded, cancellationToken);
        }

        await context.SignOutAsync(AuthSchemes.Cookie);
        return TypedResults.NoContent();
    }

    private static Ok<CurrentUser> Me(ClaimsPrincipal user, IOptionsMonitor<AuthOptions> options) =>
        TypedResults.Ok(new CurrentUser(
            user.Identity?.IsAuthenticated == true ? user.Identity.Name : null,
            AuthSchemes.RolesOf(user),
            options.CurrentValue.AnonymousRead));

    private static async Task<Ok<IReadOnlyList<ApiTokenInfo>>> ListTokensAsync(ClaimsPrincipal user, ApiTokenStore tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.ListAsync(UserId(user), cancellationToken));

    private static async Task<Results<Ok<ApiTokenCreated>, ValidationProblem>> CreateTokenAsync(
        CreateTokenRequest? request, ClaimsPrincipal user, ApiTokenStore tokens, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = request?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > ApiTokenStore.MaxNameLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["name"] = [$"is required, at most {ApiTokenStore.MaxNameLength} characters."] },
                title: "Invalid token request");
        }

        var live = (await tokens.ListAsync(UserId(user), cancellationToken)).Count(t => t.RevokedAt is null);
        if (live >= ApiTokenStore.MaxTokensPerUser)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["name"] = [$"at most {ApiTokenStore.MaxTokensPerUser} live tokens per user: revoke one first."] },
                title: "Too many tokens");
        }

        var created = await tokens.CreateAsync(UserId(user), name, cancellationToken);
        await audit.AppendAsync(time, AuthPolicies.UserName(user), AuditActions.TokenCreated, created.Info.Id, AuditActions.Succeeded, cancellationToken, newValue: name);
        return TypedResults.Ok(created);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        string id, ClaimsPrincipal user, ApiTokenStore tokens, UserConnections connections, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await tokens.RevokeAsync(UserId(user), id, cancellationToken))
        {
            return TypedResults.Problem($"You have no live API token '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown token");
        }

        connections.CloseToken(AuthPolicies.UserName(user), id);

        await audit.AppendAsync(time, AuthPolicies.UserName(user), AuditActions.TokenRevoked, id, AuditActions.Succeeded, cancellationToken);
        return TypedResults.NoContent();
    }

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated principal without a user id.");
}
