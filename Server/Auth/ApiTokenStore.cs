using System.Security.Cryptography;
using System.Text;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Auth;

/// <summary>Whom a valid API token belongs to.</summary>
public sealed record TokenOwner(string TokenId, string UserId, string UserName, IReadOnlyList<string> Roles);

/// <summary>
/// Personal API tokens (table <c>api_tokens</c>): 32 random bytes shown once at creation, stored
/// only as their SHA-256. A plain hash suffices (no salt, no slow hash) because the secret is
/// 256 random bits, not a password a person chose: there is nothing to guess from a dictionary.
/// </summary>
public sealed class ApiTokenStore(StateDatabase database, TimeProvider time)
{
    /// <summary>Tells a token apart from other secrets in a log or a config file.</summary>
    public const string Prefix = "clv_";

    public const int MaxNameLength = 100;

    public const int MaxTokensPerUser = 50;

    public async Task<ApiTokenCreated> CreateAsync(string userId, string name, CancellationToken cancellationToken)
    {
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var info = new ApiTokenInfo(Guid.NewGuid().ToString("N"), name, time.GetUtcNow(), null);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO api_tokens (id, user_id, name, token_hash, created_at)
            VALUES ($id, $user, $name, $hash, $created);
            """;
        command.Parameters.AddWithValue("$id", info.Id);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$hash", Hash(token));
        command.Parameters.AddWithValue("$created", StateTimestamps.ToText(info.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ApiTokenCreated(info, token);
    }

    /// <summary>The user's tokens, revoked ones included, newest first.</summary>
    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $user ORDER BY created_at DESC, id;";
        command.Parameters.AddWithValue("$user", userId);
        var tokens = new List<ApiTokenInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new ApiTokenInfo(
                reader.GetString(0),
                reader.GetString(1),
                StateTimestamps.Parse(reader.GetString(2)),
                reader.IsDBNull(3) ? null : StateTimestamps.Parse(reader.GetString(3))));
        }

        return tokens;
    }

    /// <summary>Revokes one of the user's tokens; false when the user has no such live token.</summary>
    public async Task<bool> RevokeAsync(string userId, string tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_tokens SET revoked_at = $now WHERE id = $id AND user_id = $user AND revoked_at IS NULL;";
        command.Parameters.AddWithValue("$now", StateTimestamps.ToText(time.GetUtcNow()));
        command.Parameters.AddWithValue("$id", tokenId);
        command.Parameters.AddWithValue("$user", userId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The owner of a live token whose account is enabled, or null.</summary>
    public async Task<TokenOwner?> FindOwnerAsync(string token, CancellationToken cancellationToken)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.id, u.id, u.user_name, (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id)
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = $hash AND t.revoked_at IS NULL AND u.disabled = 0;
            """;
        command.Parameters.AddWithValue("$hash", Hash(token));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var roles = reader.IsDBNull(3) ? [] : reader.GetString(3).Split(',');
        return new TokenOwner(reader.GetString(0), reader.GetString(1), reader.GetString(2), roles);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
