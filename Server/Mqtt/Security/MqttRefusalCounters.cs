using System.Collections.Concurrent;

namespace Clovers.Monitor.Server.Mqtt.Security;

/// <summary>Why the embedded broker refused something; the keys of <c>refusedByReason</c>.</summary>
public static class MqttRefusalReasons
{
    public const string Anonymous = "anonymous";
    public const string BadCredentials = "bad-credentials";
    public const string PublishDenied = "publish-denied";
    public const string SubscribeDenied = "subscribe-denied";
}

/// <summary>Counts of what the broker's authentication and ACL refused; bounded in the number of usernames it keeps apart.</summary>
public sealed class MqttRefusalCounters
{
    /// <summary>Usernames counted apart; beyond, refusals of new names go to <see cref="OtherUsers"/>.</summary>
    public const int MaxUsers = 256;

    public const string AnonymousUser = "(anonymous)";
    public const string OtherUsers = "(other)";

    private readonly ConcurrentDictionary<string, long> _byReason = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _byUser = new(StringComparer.Ordinal);
    private long _connections;
    private long _publishes;
    private long _subscriptions;

    public long ConnectionsRefused => Interlocked.Read(ref _connections);

    public long PublishesRefused => Interlocked.Read(ref _publishes);

    public long SubscriptionsRefused => Interlocked.Read(ref _subscriptions);

    public IReadOnlyDictionary<string, long> ByReason => new SortedDictionary<string, long>(_byReason, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ByUser => new SortedDictionary<string, long>(_byUser, StringComparer.Ordinal);

    public void Refused(string reason, string? username)
    {
        switch (reason)
        {
            case MqttRefusalReasons.PublishDenied:
                Interlocked.Increment(ref _publishes);
                break;
            case MqttRefusalReasons.SubscribeDenied:
                Interlocked.Increment(ref _subscriptions);
                break;
            default:
                Interlocked.Increment(ref _connections);
                break;
        }

        _byReason.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        var user = string.IsNullOrEmpty(username) ? AnonymousUser : username;
        if (_byUser.Count >= MaxUsers && !_byUser.ContainsKey(user))
        {
            user = OtherUsers;
        }

        _byUser.AddOrUpdate(user, 1, static (_, n) => n + 1);
    }
}
