using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Mqtt.Security;

/// <summary>A username and password an MQTT client logs in with; both null for an anonymous login.</summary>
public sealed record MqttLogin(string? Username, string? Password)
{
    public override string ToString() => Username ?? "(anonymous)";
}

/// <summary>
/// Logins of the Server's own MQTT clients (ingest, HV control, the demo's agent and DAQ). With the
/// embedded broker each gets an internal account made up at start: a random secret that lives only
/// in this process, so nothing needs to be on disk. With an external broker they use the configured
/// <c>Mqtt:Username</c> and <c>Mqtt:Password</c>, as before.
/// </summary>
public sealed class InProcessMqttLogins
{
    /// <summary>The Server's username, the same as in <c>deploy/mosquitto/acl</c>.</summary>
    public const string ServerUsername = "clovers-server";

    private readonly MqttOptions _options;
    private readonly ConcurrentDictionary<string, InternalAccount> _internal = new(StringComparer.Ordinal);

    public InProcessMqttLogins(IOptions<MqttOptions> options)
    {
        _options = options.Value;
        _internal[ServerUsername] = new InternalAccount(MqttRoles.Server, NewSecret());
    }

    /// <summary>The login of the Server's ingest client (role <see cref="MqttRoles.Server"/>).</summary>
    public MqttLogin ForServer() =>
        _options.IsEmbedded
            ? new MqttLogin(ServerUsername, _internal[ServerUsername].Secret)
            : new MqttLogin(NullIfEmpty(_options.Username), NullIfEmpty(_options.Password));

    /// <summary>The login of an agent run inside the Server (role <see cref="MqttRoles.Agent"/>, username = its id).</summary>
    public MqttLogin ForAgent(string agentId) => ForPublisher(agentId, MqttRoles.Agent);

    /// <summary>The login of a DAQ publisher run inside the Server (role <see cref="MqttRoles.Daq"/>, username = its id).</summary>
    public MqttLogin ForDaq(string daqId) => ForPublisher(daqId, MqttRoles.Daq);

    private MqttLogin ForPublisher(string id, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (!_options.IsEmbedded)
        {
            return new MqttLogin(NullIfEmpty(_options.Username), NullIfEmpty(_options.Password));
        }

        var account = _internal.GetOrAdd(id, _ => new InternalAccount(role, NewSecret()));
        return account.Role == role
            ? new MqttLogin(id, account.Secret)
            : throw new InvalidOperationException($"'{id}' already logs in as {account.Role}, not as {role}.");
    }

    /// <summary>The role of an internal account whose secret <paramref name="password"/> is; null when it is none.</summary>
    internal string? Authenticate(string username, string? password)
    {
        if (password is null || !_internal.TryGetValue(username, out var account))
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(account.Secret))
            ? account.Role
            : null;
    }

    internal bool IsInternal(string username) => _internal.ContainsKey(username);

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private sealed record InternalAccount(string Role, string Secret);
}
