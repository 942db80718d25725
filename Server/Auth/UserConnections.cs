using System.Security.Claims;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// The open hub connections of each signed-in user, so that an account change reaches them now.
/// A WebSocket is authenticated once, when it opens; without this a disabled user would keep
/// receiving live data until the browser reconnected. Holds one entry per open connection
/// (anonymous ones are not kept), removed when the connection closes.
/// </summary>
public sealed class UserConnections
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, Connection>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Open connections kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byUser.Values.Sum(c => c.Count);
            }
        }
    }

    /// <summary>
    /// Keeps <paramref name="connectionId"/> of <paramref name="user"/> until <see cref="Remove"/>;
    /// <paramref name="abort"/> closes it. Anonymous connections are not kept.
    /// </summary>
    public void Add(string connectionId, ClaimsPrincipal? user, Action abort)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        ArgumentNullException.ThrowIfNull(abort);
        if (user?.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return;
        }

        var connection = new Connection(user.FindFirstValue(AuthSchemes.TokenIdClaim), abort);
        lock (_lock)
        {
            if (!_byUser.TryGetValue(name, out var connections))
            {
                connections = new Dictionary<string, Connection>(StringComparer.Ordinal);
                _byUser.Add(name, connections);
            }

            connections[connectionId] = connection;
        }
    }

    public void Remove(string connectionId, ClaimsPrincipal? user)
    {
        ArgumentNullException.ThrowIfNull(connectionId);
        if (user?.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return;
        }

        lock (_lock)
        {
            if (_byUser.TryGetValue(name, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
            {
                _byUser.Remove(name);
            }
        }
    }

    /// <summary>Closes every connection of <paramref name="userName"/>, whether opened with the session cookie or an API token.</summary>
    /// <returns>How many were closed.</returns>
    public int CloseAll(string userName) => Close(userName, _ => true);

    /// <summary>Closes the connections <paramref name="userName"/> opened with the session cookie; those opened with an API token stay.</summary>
    public int CloseSessions(string userName) => Close(userName, c => c.TokenId is null);

    /// <summary>Closes the connections opened with the API token <paramref name="tokenId"/> of <paramref name="userName"/>.</summary>
    public int CloseToken(string userName, string tokenId) => Close(userName, c => string.Equals(c.TokenId, tokenId, StringComparison.Ordinal));

    private int Close(string? userName, Func<Connection, bool> which)
    {
        if (string.IsNullOrEmpty(userName))
        {
            return 0;
        }

        Connection[] closing;
        lock (_lock)
        {
            if (!_byUser.TryGetValue(userName, out var connections))
            {
                return 0;
            }

            closing = [.. connections.Values.Where(which)];
        }

        // Outside the lock: an abort may run the connection's disconnect (and so Remove) inline.
        foreach (var connection in closing)
        {
            connection.Abort();
        }

        return closing.Length;
    }

    private sealed record Connection(string? TokenId, Action Abort);
}
