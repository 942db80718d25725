namespace Clovers.Monitor.Shared.Api;

/// <summary>
/// Answer of <c>GET /api/diagnostics/broker</c>: what the embedded broker's authentication and ACL
/// refused since the start, by reason and by username (<c>(anonymous)</c> without one).
/// </summary>
public sealed record BrokerSecurityDiagnostics(
    bool Embedded,
    bool AllowAnonymous,
    int ConfiguredAccounts,
    long ConnectionsRefused,
    long PublishesRefused,
    long SubscriptionsRefused,
    IReadOnlyDictionary<string, long> RefusedByReason,
    IReadOnlyDictionary<string, long> RefusedByUser);

/// <summary>Routes of the broker diagnostics.</summary>
public static class BrokerRoutes
{
    public const string Diagnostics = "/api/diagnostics/broker";
}
