using System.Globalization;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// ASP.NET Core Identity's user store on the state database (tables <c>users</c> and
/// <c>user_roles</c>, migration 6), with plain SQL: no EF Core for five small tables.
/// Role names are stored in their canonical lower-case form whatever case Identity hands in.
/// </summary>
public sealed class SqliteUserStore(StateDatabase database, TimeProvider time) :
    IUserPasswordStore<MonitorUser>,
    IUserRoleStore<MonitorUser>,
    IUserLockoutStore<MonitorUser>,
    IUserSecurityStampStore<MonitorUser>
{
    private const string Columns =
        "id, user_name, normalized_user_name, password_hash, security_stamp, concurrency_stamp, " +
        "lockout_enabled, lockout_end, access_failed_count, disabled, created_at";

    public void Dispose()
    {
    }

    public async Task<IdentityResult> CreateAsync(MonitorUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.CreatedAt == default)
        {
            user.CreatedAt = time.GetUtcNow();
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO users ({Columns}) VALUES ($id, $name, $normalized, $hash, $stamp, $concurrency, $lockoutEnabled, $lockoutEnd, $failed, $disabled, $created);";
        Bind(command, user);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            return IdentityResult.Failed(new IdentityError { Code = "DuplicateUserName", Description = $"The user name '{user.UserName}' is taken." });
        }

        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(MonitorUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var expected = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE users SET user_name = $name, normalized_user_name = $normalized, password_hash = $hash,
                security_stamp = $stamp, concurrency_stamp = $concurrency, lockout_enabled = $lockoutEnabled,
                lockout_end = $lockoutEnd, access_failed_count = $failed, disabled = $disabled
            WHERE id = $id AND concurrency_stamp = $expected;
            """;
        Bind(command, user);
        command.Parameters.AddWithValue("$expected", expected);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            user.ConcurrencyStamp = expected;
            return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
        }

        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(MonitorUser user, CancellationToken cancellationToken)
    {
        // Accounts are disabled, not deleted: the audit log and alarm history keep naming them.
        ArgumentNullException.ThrowIfNull(user);
        user.Disabled = true;
        return await UpdateAsync(user, cancellationToken);
    }

    public Task<MonitorUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        FindAsync("id", userId, cancellationToken);

    public Task<MonitorUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindAsync("normalized_user_name", normalizedUserName, cancellationToken);

    /// <summary>Every account, by name.</summary>
    public async Task<IReadOnlyList<(MonitorUser User, IReadOnlyList<string> Roles)>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = users.id) FROM users ORDER BY normalized_user_name;";
        var users = new List<(MonitorUser, IReadOnlyList<string>)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var roles = reader.IsDBNull(11) ? [] : reader.GetString(11).Split(',');
            users.Add((Read(reader), roles));
        }

        return users;
    }

    public Task<string> GetUserIdAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.UserName);

    public Task SetUserNameAsync(MonitorUser user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName ?? string.Empty;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(MonitorUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName ?? string.Empty;
        return Task.CompletedTask;
    }

    public Task SetPasswordHashAsync(MonitorUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public async Task AddToRoleAsync(MonitorUser user, string roleName, CancellationToken cancellationToken)
    {
        var role = CanonicalRole(roleName);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO user_roles (user_id, role) VALUES ($id, $role);";
        command.Parameters.AddWithValue("$id", user.Id);
        command.Parameters.AddWithValue("$role", role);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveFromRoleAsync(MonitorUser user, string roleName, CancellationToken cancellationToken)
    {
        var role = CanonicalRole(roleName);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM user_roles WHERE user_id = $id AND role = $role;";
        command.Parameters.AddWithValue("$id", user.Id);
        command.Parameters.AddWithValue("$role", role);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IList<string>> GetRolesAsync(MonitorUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return await GetRolesAsync(user.Id, cancellationToken);
    }

    public async Task<IList<string>> GetRolesAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT role FROM user_roles WHERE user_id = $id ORDER BY role;";
        command.Parameters.AddWithValue("$id", userId);
        var roles = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            roles.Add(reader.GetString(0));
        }

        return roles;
    }

    public async Task<bool> IsInRoleAsync(MonitorUser user, string roleName, CancellationToken cancellationToken) =>
        (await GetRolesAsync(user, cancellationToken)).Contains(CanonicalRole(roleName), StringComparer.Ordinal);

    public async Task<IList<MonitorUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        var role = CanonicalRole(roleName);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users WHERE id IN (SELECT user_id FROM user_roles WHERE role = $role) ORDER BY normalized_user_name;";
        command.Parameters.AddWithValue("$role", role);
        var users = new List<MonitorUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(MonitorUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(MonitorUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(MonitorUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task SetSecurityStampAsync(MonitorUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(MonitorUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    private static string CanonicalRole(string roleName) =>
        MonitorRoles.Canonical(roleName) ?? throw new ArgumentException($"'{roleName}' is not a role; roles are {string.Join(", ", MonitorRoles.All)}.", nameof(roleName));

    private async Task<MonitorUser?> FindAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users WHERE {column} = $value;";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static void Bind(SqliteCommand command, MonitorUser user)
    {
        command.Parameters.AddWithValue("$id", user.Id);
        command.Parameters.AddWithValue("$name", user.UserName);
        command.Parameters.AddWithValue("$normalized", user.NormalizedUserName);
        command.Parameters.AddWithValue("$hash", (object?)user.PasswordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$stamp", user.SecurityStamp);
        command.Parameters.AddWithValue("$concurrency", user.ConcurrencyStamp);
        command.Parameters.AddWithValue("$lockoutEnabled", user.LockoutEnabled ? 1 : 0);
        command.Parameters.AddWithValue("$lockoutEnd", user.LockoutEnd is { } end ? StateTimestamps.ToText(end) : DBNull.Value);
        command.Parameters.AddWithValue("$failed", user.AccessFailedCount);
        command.Parameters.AddWithValue("$disabled", user.Disabled ? 1 : 0);
        command.Parameters.AddWithValue("$created", StateTimestamps.ToText(user.CreatedAt));
    }

    private static MonitorUser Read(SqliteDataReader reader) =>
        new()
        {
            Id = reader.GetString(0),
            UserName = reader.GetString(1),
            NormalizedUserName = reader.GetString(2),
            PasswordHash = reader.IsDBNull(3) ? null : reader.GetString(3),
            SecurityStamp = reader.GetString(4),
            ConcurrencyStamp = reader.GetString(5),
            LockoutEnabled = reader.GetInt64(6) != 0,
            LockoutEnd = reader.IsDBNull(7) ? null : StateTimestamps.Parse(reader.GetString(7)),
            AccessFailedCount = Convert.ToInt32(reader.GetInt64(8), CultureInfo.InvariantCulture),
            Disabled = reader.GetInt64(9) != 0,
            CreatedAt = StateTimestamps.Parse(reader.GetString(10)),
        };
}
