using Clovers.Monitor.Server.Diagnostics;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Clovers.Monitor.Server.Mqtt.Security;

/// <summary>
/// Authentication and ACL of the embedded broker. A client logs in with a configured account
/// (<c>Mqtt:Accounts</c>, PBKDF2 hashes) or an internal one of the Server's own clients; without a
/// username it is anonymous and refused unless <c>Mqtt:AllowAnonymous</c>. Every publish and
/// subscription of an account is held to <see cref="MqttAcl"/>; an anonymous client, where allowed,
/// is not restricted (as mosquitto without an ACL). Refusals are counted and logged at most once
/// per reason and user every 10 s.
/// </summary>
public sealed class MqttBrokerSecurity
{
    private const string AccountKey = "clovers.mqtt.account";

    private readonly MqttOptions _options;
    private readonly InProcessMqttLogins _logins;
    private readonly MqttRefusalCounters _counters;
    private readonly PerKeyThrottle _logThrottle;
    private readonly ILogger<MqttBrokerSecurity> _logger;
    private readonly Dictionary<string, MqttAccountOptions> _accounts;

    public MqttBrokerSecurity(
        IOptions<MqttOptions> options,
        InProcessMqttLogins logins,
        MqttRefusalCounters counters,
        TimeProvider time,
        ILogger<MqttBrokerSecurity> logger)
    {
        _options = options.Value;
        _logins = logins;
        _counters = counters;
        _logThrottle = new PerKeyThrottle(time, TimeSpan.FromSeconds(10));
        _logger = logger;
        _accounts = _options.Accounts
            .Where(a => !string.IsNullOrEmpty(a.Username))
            .GroupBy(a => a.Username, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>Hooks authentication and the ACL into <paramref name="server"/>, before it starts.</summary>
    public void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
    }

    /// <summary>The role <paramref name="username"/> logs in with given <paramref name="password"/>; null when refused. No username: anonymous.</summary>
    public SessionAccount? Authenticate(string? username, string? password)
    {
        if (string.IsNullOrEmpty(username))
        {
            return _options.AllowAnonymous ? SessionAccount.Anonymous : null;
        }

        if (_logins.Authenticate(username, password) is { } internalRole)
        {
            return new SessionAccount(username, internalRole);
        }

        if (_accounts.TryGetValue(username, out var account) && MqttPasswordHasher.Verify(account.PasswordHash, password))
        {
            return new SessionAccount(username, account.Role);
        }

        return null;
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        var account = Authenticate(args.UserName, args.Password);
        if (account is null)
        {
            var anonymous = string.IsNullOrEmpty(args.UserName);
            args.ReasonCode = anonymous ? MqttConnectReasonCode.NotAuthorized : MqttConnectReasonCode.BadUserNameOrPassword;
            Refuse(anonymous ? MqttRefusalReasons.Anonymous : MqttRefusalReasons.BadCredentials, args.UserName, $"connection of client '{Clip(args.ClientId)}'");
            return Task.CompletedTask;
        }

        args.SessionItems[AccountKey] = account;
        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        var topic = args.ApplicationMessage.Topic;
        if (!IsAllowed(args.SessionItems, MqttAccess.Publish, topic, out var user))
        {
            args.ProcessPublish = false;
            args.Response.ReasonCode = MQTTnet.Protocol.MqttPubAckReasonCode.NotAuthorized;
            Refuse(MqttRefusalReasons.PublishDenied, user, $"publish on '{Clip(topic)}'");
        }

        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs args)
    {
        var filter = args.TopicFilter.Topic;
        if (!IsAllowed(args.SessionItems, MqttAccess.Subscribe, filter, out var user))
        {
            args.ProcessSubscription = false;
            args.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            Refuse(MqttRefusalReasons.SubscribeDenied, user, $"subscription to '{Clip(filter)}'");
        }

        return Task.CompletedTask;
    }

    private static bool IsAllowed(System.Collections.IDictionary sessionItems, MqttAccess access, string topic, out string? user)
    {
        // Messages the broker itself injects have no session account: they come from inside.
        if (sessionItems is null || sessionItems[AccountKey] is not SessionAccount account)
        {
            user = null;
            return sessionItems is null;
        }

        user = account.Username;
        return account.IsAnonymous || MqttAcl.Allows(account.Role, account.Username!, access, topic);
    }

    private void Refuse(string reason, string? username, string what)
    {
        var user = string.IsNullOrEmpty(username) ? null : Clip(username);
        _counters.Refused(reason, user);
        if (_logThrottle.TryPass(reason + "|" + user, out var suppressed))
        {
            _logger.LogWarning(
                "Embedded MQTT broker refused {What} by {User}: {Reason} ({Suppressed} similar not logged)",
                what, user ?? MqttRefusalCounters.AnonymousUser, reason, suppressed);
        }
    }

    private static string Clip(string? text) => text is null ? string.Empty : text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>Who a broker session is: an account and its role, or an anonymous client.</summary>
public sealed record SessionAccount(string? Username, string Role)
{
    public static SessionAccount Anonymous { get; } = new(null, "anonymous");

    public bool IsAnonymous => Username is null;
}
