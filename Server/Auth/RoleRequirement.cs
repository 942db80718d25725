using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// Met by a user holding <paramref name="Role"/> or a role above it. With
/// <paramref name="AnonymousWhenReadAllowed"/>, also by anyone at all while <c>Auth:AnonymousRead</c> is on.
/// </summary>
internal sealed record RoleRequirement(string Role, bool AnonymousWhenReadAllowed) : IAuthorizationRequirement;

/// <summary>
/// The policy of endpoints that declare none. Safe methods (GET, HEAD, OPTIONS) outside
/// <c>/api</c> serve the application shell and its static files, which hold no data, so the login
/// page loads for anyone; under <c>/api</c> they need what <see cref="AuthPolicies.Viewer"/> needs.
/// Any other method needs an admin: a mutating endpoint that forgot its policy is closed, not open
/// (and the endpoint-table test names it).
/// </summary>
internal sealed record UndeclaredEndpointRequirement : IAuthorizationRequirement;

internal sealed class RoleRequirementHandler(IOptionsMonitor<AuthOptions> options) :
    AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if ((requirement.AnonymousWhenReadAllowed && options.CurrentValue.AnonymousRead)
            || (context.User.Identity?.IsAuthenticated == true && MonitorRoles.Allows(AuthSchemes.RolesOf(context.User), requirement.Role)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

internal sealed class UndeclaredEndpointRequirementHandler(IOptionsMonitor<AuthOptions> options) :
    AuthorizationHandler<UndeclaredEndpointRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, UndeclaredEndpointRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        var method = http?.Request.Method ?? HttpMethods.Get;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        var authenticated = context.User.Identity?.IsAuthenticated == true;
        var roles = AuthSchemes.RolesOf(context.User);
        bool allowed;
        if (!safe)
        {
            allowed = authenticated && MonitorRoles.Allows(roles, AuthPolicies.Admin);
        }
        else if (http is not null && !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            allowed = true;
        }
        else
        {
            allowed = options.CurrentValue.AnonymousRead || (authenticated && MonitorRoles.Allows(roles, AuthPolicies.Viewer));
        }

        if (allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
