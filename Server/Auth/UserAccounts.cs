using System.Security.Claims;
using System.Security.Cryptography;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Identity;

namespace Clovers.Monitor.Server.Auth;

/// <summary>What became of an account operation: the account, or every reason it was refused.</summary>
public sealed record AccountResult(MonitorUser? User, IReadOnlyList<string> Errors, string? GeneratedPassword = null)
{
    public bool Succeeded => Errors.Count == 0 && User is not null;

    public static AccountResult Failed(params string[] errors) => new(null, errors);
}

/// <summary>
/// Accounts as the API and the console commands use them, on ASP.NET Core Identity's
/// <see cref="UserManager{TUser}"/> (password hashing, validation, lockout, security stamps).
/// Each account holds one role; roles are cumulative, so one is all it needs.
/// A change that ends the account's sessions also closes its open hub connections
/// (<see cref="UserConnections"/>): the security stamp stops the next request, this stops the
/// live data already flowing.
/// </summary>
public sealed class UserAccounts(UserManager<MonitorUser> users, SqliteUserStore store, UserConnections connections)
{
    public const int MaxNameLength = 64;

    public Task<MonitorUser?> FindAsync(string name) => users.FindByNameAsync(name);

    public async Task<MonitorUser?> FindByIdAsync(string id) => await users.FindByIdAsync(id);

    public async Task<string> RoleOfAsync(MonitorUser user) => HighestRole(await users.GetRolesAsync(user));

    public async Task<AccountResult> CreateAsync(string name, string role, string? password)
    {
        name = name?.Trim() ?? string.Empty;
        var canonicalRole = MonitorRoles.Canonical(role);
        var errors = new List<string>();
        if (name.Length is 0 or > MaxNameLength)
        {
            errors.Add($"The user name must have 1 to {MaxNameLength} characters.");
        }

        if (canonicalRole is null)
        {
            errors.Add($"'{role}' is not a role; roles are {string.Join(", ", MonitorRoles.All)}.");
        }

        if (errors.Count > 0)
        {
            return new AccountResult(null, errors);
        }

        var generated = string.IsNullOrEmpty(password) ? GeneratePassword() : null;
        var user = new MonitorUser { UserName = name };
        var created = await users.CreateAsync(user, password is { Length: > 0 } ? password : generated!);
        if (!created.Succeeded)
        {
            return new AccountResult(null, Describe(created));
        }

        var added = await users.AddToRoleAsync(user, canonicalRole!);
        return added.Succeeded ? new AccountResult(user, [], generated) : new AccountResult(null, Describe(added));
    }

    /// <summary>Gives the account exactly <paramref name="role"/>.</summary>
    public async Task<AccountResult> SetRoleAsync(MonitorUser user, string role)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (MonitorRoles.Canonical(role) is not { } canonical)
        {
            return AccountResult.Failed($"'{role}' is not a role; roles are {string.Join(", ", MonitorRoles.All)}.");
        }

        var current = await users.GetRolesAsync(user);
        foreach (var old in current.Where(r => !string.Equals(r, canonical, StringComparison.Ordinal)))
        {
            await store.RemoveFromRoleAsync(user, old, CancellationToken.None);
        }

        if (!current.Contains(canonical, StringComparer.Ordinal))
        {
            await store.AddToRoleAsync(user, canonical, CancellationToken.None);
        }

        // A new stamp ends the account's sessions, so a demotion takes effect everywhere now;
        // a hub connection keeps the roles it opened with, so it is closed too and reconnects as what the account is now.
        var updated = await users.UpdateSecurityStampAsync(user);
        connections.CloseAll(user.UserName);
        return updated.Succeeded ? new AccountResult(user, []) : new AccountResult(null, Describe(updated));
    }

    public async Task<AccountResult> SetDisabledAsync(MonitorUser user, bool disabled)
    {
        ArgumentNullException.ThrowIfNull(user);
        user.Disabled = disabled;
        var updated = await users.UpdateSecurityStampAsync(user);
        if (disabled)
        {
            // Closed after the account is saved disabled, so a reconnect is refused.
            connections.CloseAll(user.UserName);
        }

        return updated.Succeeded ? new AccountResult(user, []) : new AccountResult(null, Describe(updated));
    }

    /// <summary>Sets a new password (generated when none is given), unlocks the account and ends its sessions.</summary>
    public async Task<AccountResult> SetPasswordAsync(MonitorUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var generated = string.IsNullOrEmpty(password) ? GeneratePassword() : null;
        var newPassword = password is { Length: > 0 } ? password : generated!;
        foreach (var validator in users.PasswordValidators)
        {
            var valid = await validator.ValidateAsync(users, user, newPassword);
            if (!valid.Succeeded)
            {
                return new AccountResult(null, Describe(valid));
            }
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, newPassword);
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;
        var updated = await users.UpdateSecurityStampAsync(user);

        // API tokens outlive a password change, and so do the connections opened with them.
        connections.CloseSessions(user.UserName);
        return updated.Succeeded ? new AccountResult(user, [], generated) : new AccountResult(null, Describe(updated));
    }

    /// <summary>Every account with its role.</summary>
    public async Task<IReadOnlyList<UserInfo>> ListAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var all = await store.ListAsync(cancellationToken);
        return [.. all.Select(a => Info(a.User, HighestRole(a.Roles), time))];
    }

    public static UserInfo Info(MonitorUser user, string role, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(time);
        return new UserInfo(user.UserName, role, user.Disabled, user.LockoutEnd is { } end && end > time.GetUtcNow(), user.CreatedAt);
    }

    /// <summary>The cookie principal of an account: its id, name, roles and current security stamp.</summary>
    public async Task<ClaimsPrincipal> PrincipalAsync(MonitorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AuthSchemes.Principal(user.Id, user.UserName, await users.GetRolesAsync(user), AuthSchemes.Cookie, [new Claim(AuthSchemes.SecurityStampClaim, user.SecurityStamp)]);
    }

    public static string HighestRole(IEnumerable<string> roles) =>
        roles.OrderByDescending(MonitorRoles.Rank).FirstOrDefault() ?? MonitorRoles.Viewer;

    /// <summary>20 characters from 120 random bits, safe to paste anywhere.</summary>
    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    private static string[] Describe(IdentityResult result) => [.. result.Errors.Select(e => e.Description)];
}
