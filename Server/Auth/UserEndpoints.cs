using System.Security.Claims;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clovers.Monitor.Server.Auth;

/// <summary><c>/api/users</c>: accounts, for admins. Accounts are disabled, never deleted.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup(AuthRoutes.Users).WithTags("Users").RequireAuthorization(AuthPolicies.Admin);
        users.MapGet(string.Empty, ListAsync).WithSummary("Every account with its role, disabled and locked-out flags.");
        users.MapPost(string.Empty, CreateAsync)
            .WithSummary("Creates an account {name, role, password?}; without a password one is generated and answered once.")
            .ProducesValidationProblem();
        users.MapPatch("/{name}", UpdateAsync)
            .WithSummary("Changes an account's role and/or disabled flag; ends its sessions.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/{name}/password", SetPasswordAsync)
            .WithSummary("Sets a new password {password?} (generated and answered once when absent), unlocks the account and ends its sessions.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<UserInfo>>> ListAsync(UserAccounts accounts, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListAsync(time, cancellationToken));

    private static async Task<Results<Ok<CreatedUser>, ValidationProblem>> CreateAsync(
        CreateUserRequest? request, UserAccounts accounts, IAuditLog audit, TimeProvider time, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Invalid("the body must be {name, role, password?}.");
        }

        var result = await accounts.CreateAsync(request.Name, request.Role, request.Password);
        await audit.AppendAsync(
            time, AuthPolicies.UserName(caller), AuditActions.UserCreated, request.Name ?? string.Empty,
            result.Succeeded ? AuditActions.Succeeded : AuditActions.Refused, cancellationToken,
            newValue: MonitorRoles.Canonical(request.Role) ?? request.Role,
            detail: result.Succeeded ? null : string.Join(" ", result.Errors));
        if (!result.Succeeded)
        {
            return Invalid([.. result.Errors]);
        }

        return TypedResults.Ok(new CreatedUser(UserAccounts.Info(result.User!, await accounts.RoleOfAsync(result.User!), time), result.GeneratedPassword));
    }

    private static async Task<Results<Ok<UserInfo>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string name, UpdateUserRequest? request, UserAccounts accounts, IAuditLog audit, TimeProvider time, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(name) is not { } user)
        {
            return NotFound(name);
        }

        if (request is null || (request.Role is null && request.Disabled is null))
        {
            return Invalid("give 'role' and/or 'disabled'.");
        }

        var oldRole = await accounts.RoleOfAsync(user);
        var before = Describe(oldRole, user.Disabled);
        var demotesOrDisables = (request.Disabled == true && !user.Disabled)
            || (request.Role is not null && MonitorRoles.Rank(request.Role) < MonitorRoles.Rank(MonitorRoles.Admin));
        if (oldRole == MonitorRoles.Admin && demotesOrDisables && await IsLastAdminAsync(accounts, time, user, cancellationToken))
        {
            return Invalid("this is the last enabled admin: make another admin first.");
        }

        if (request.Role is not null)
        {
            var changed = await accounts.SetRoleAsync(user, request.Role);
            if (!changed.Succeeded)
            {
                return Invalid([.. changed.Errors]);
            }
        }

        if (request.Disabled is { } disabled && disabled != user.Disabled)
        {
            var changed = await accounts.SetDisabledAsync(user, disabled);
            if (!changed.Succeeded)
            {
                return Invalid([.. changed.Errors]);
            }
        }

        var role = await accounts.RoleOfAsync(user);
        await audit.AppendAsync(time, AuthPolicies.UserName(caller), AuditActions.UserChanged, user.UserName, AuditActions.Succeeded, cancellationToken,
            oldValue: before, newValue: Describe(role, user.Disabled));
        return TypedResults.Ok(UserAccounts.Info(user, role, time));
    }

    private static async Task<Results<Ok<PasswordSet>, ValidationProblem, ProblemHttpResult>> SetPasswordAsync(
        string name, SetPasswordRequest? request, UserAccounts accounts, IAuditLog audit, TimeProvider time, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(name) is not { } user)
        {
            return NotFound(name);
        }

        var result = await accounts.SetPasswordAsync(user, request?.Password);
        await audit.AppendAsync(time, AuthPolicies.UserName(caller), AuditActions.PasswordSet, user.UserName,
            result.Succeeded ? AuditActions.Succeeded : AuditActions.Refused, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new PasswordSet(result.GeneratedPassword)) : Invalid([.. result.Errors]);
    }

    private static async Task<bool> IsLastAdminAsync(UserAccounts accounts, TimeProvider time, MonitorUser user, CancellationToken cancellationToken) =>
        !(await accounts.ListAsync(time, cancellationToken))
            .Any(u => u.Role == MonitorRoles.Admin && !u.Disabled && !string.Equals(u.Name, user.UserName, StringComparison.Ordinal));

    private static string Describe(string role, bool disabled) => disabled ? role + ", disabled" : role;

    private static ValidationProblem Invalid(params string[] problems) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = problems }, title: "Invalid account change");

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem($"No account '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown account");
}
