using System.Net;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Mqtt;

/// <summary>Configuration section <c>Mqtt</c>: which broker the Server ingests from.</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Mqtt";

    /// <summary><see cref="MqttModes.Embedded"/> runs a broker in-process; <see cref="MqttModes.External"/> connects to one.</summary>
    public string Mode { get; set; } = MqttModes.Embedded;

    /// <summary>Broker host for External mode; the address the embedded broker binds to in Embedded mode.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string ClientId { get; set; } = "clovers-server";

    public double KeepAliveSeconds { get; set; } = 15;

    public double ReconnectMinSeconds { get; set; } = 0.5;

    public double ReconnectMaxSeconds { get; set; } = 15;

    /// <summary>
    /// Embedded broker: whether clients without a username may connect (and then publish and
    /// subscribe anywhere). True by default so that <c>dotnet run --project Server</c> needs no
    /// setup; set false wherever real agents connect, with an account per publisher.
    /// </summary>
    public bool AllowAnonymous { get; set; } = true;

    /// <summary>Embedded broker: the logins it accepts, each with a role and a password hash.</summary>
    public List<MqttAccountOptions> Accounts { get; set; } = [];

    /// <summary>
    /// Most messages the broker may have in flight to the ingest client, unacknowledged. Ingest
    /// acknowledges a message once its readings are stored, so this bounds what waits in memory
    /// and makes a slow store slow the broker down.
    /// </summary>
    public int ReceiveMaximum { get; set; } = 100;

    /// <summary>How long the broker keeps the ingest session (and queues messages for it) while the Server is away.</summary>
    public int SessionExpirySeconds { get; set; } = 86_400;

    /// <summary>Embedded broker: most messages queued for one client; past it the oldest are dropped.</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 1000;

    /// <summary>
    /// Embedded broker: the largest message it accepts. A little above the protocol's 1 MiB, so that
    /// ingest still sees and counts slightly oversize messages; bigger ones are refused at the broker.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 1_114_112;

    /// <summary>
    /// When set, readings are subscribed as the MQTT 5 shared subscription
    /// <c>$share/{group}/clovers/v1/…</c>, so the broker splits them across every Server of the
    /// group. Needs an external broker (mosquitto); the embedded one does not share subscriptions.
    /// </summary>
    public string? SharedSubscriptionGroup { get; set; }

    /// <summary>The topic filter to subscribe: <paramref name="filter"/> itself, or its shared form when a group is set.</summary>
    public string SubscriptionFilter(string filter) =>
        string.IsNullOrWhiteSpace(SharedSubscriptionGroup) ? filter : "$share/" + SharedSubscriptionGroup + "/" + filter;

    public bool IsEmbedded => string.Equals(Mode, MqttModes.Embedded, StringComparison.OrdinalIgnoreCase);
}

public static class MqttModes
{
    public const string Embedded = "Embedded";
    public const string External = "External";
}

/// <summary>Lists every problem of the <c>Mqtt</c> section at once, so a bad config fails at start.</summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var problems = new List<string>();
        var embedded = string.Equals(options.Mode, MqttModes.Embedded, StringComparison.OrdinalIgnoreCase);
        var external = string.Equals(options.Mode, MqttModes.External, StringComparison.OrdinalIgnoreCase);
        if (!embedded && !external)
        {
            problems.Add($"Mqtt:Mode '{options.Mode}' is unknown; use {MqttModes.Embedded} or {MqttModes.External}.");
        }

        if (options.Port is < 1 or > 65535)
        {
            problems.Add($"Mqtt:Port {options.Port} is outside 1-65535.");
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            problems.Add("Mqtt:Host is empty.");
        }
        else if (embedded && !IPAddress.TryParse(options.Host, out _))
        {
            problems.Add($"Mqtt:Host '{options.Host}' must be an IP address for the embedded broker to bind to.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            problems.Add("Mqtt:ClientId is empty.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            problems.Add("Mqtt:Password is set without Mqtt:Username.");
        }

        if (options.KeepAliveSeconds is < 1 or > 3600)
        {
            problems.Add($"Mqtt:KeepAliveSeconds {options.KeepAliveSeconds} is outside 1-3600.");
        }

        if (!string.IsNullOrEmpty(options.SharedSubscriptionGroup))
        {
            if (options.SharedSubscriptionGroup.IndexOfAny(['/', '+', '#']) >= 0 || string.IsNullOrWhiteSpace(options.SharedSubscriptionGroup))
            {
                problems.Add($"Mqtt:SharedSubscriptionGroup '{options.SharedSubscriptionGroup}' must be a name without '/', '+' or '#'.");
            }

            if (embedded)
            {
                problems.Add("Mqtt:SharedSubscriptionGroup needs Mqtt:Mode External: the embedded broker does not share subscriptions.");
            }
        }

        if (options.ReconnectMinSeconds <= 0 || options.ReconnectMaxSeconds < options.ReconnectMinSeconds)
        {
            problems.Add("Mqtt:ReconnectMinSeconds must be > 0 and not above Mqtt:ReconnectMaxSeconds.");
        }

        problems.AddRange(ValidateAccounts(options.Accounts));
        if (options.ReceiveMaximum is < 1 or > 65535)
        {
            problems.Add($"Mqtt:ReceiveMaximum {options.ReceiveMaximum} is outside 1-65535.");
        }

        if (options.SessionExpirySeconds < 0)
        {
            problems.Add($"Mqtt:SessionExpirySeconds {options.SessionExpirySeconds} is negative.");
        }

        if (options.MaxPendingMessagesPerClient < 1)
        {
            problems.Add($"Mqtt:MaxPendingMessagesPerClient {options.MaxPendingMessagesPerClient} must be at least 1.");
        }

        if (options.MaxMessageBytes < 1024)
        {
            problems.Add($"Mqtt:MaxMessageBytes {options.MaxMessageBytes} must be at least 1024.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem of <c>Mqtt:Accounts</c>: names, roles and hashes (a plain password is refused).</summary>
    private static List<string> ValidateAccounts(List<MqttAccountOptions> accounts)
    {
        var problems = new List<string>();
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[i];
            var where = $"Mqtt:Accounts:{i}";
            if (string.IsNullOrWhiteSpace(account.Username))
            {
                problems.Add($"{where}:Username is empty.");
            }
            else if (string.Equals(account.Username, InProcessMqttLogins.ServerUsername, StringComparison.Ordinal))
            {
                problems.Add($"{where}:Username '{account.Username}' is the Server's own internal login; choose another name.");
            }
            else if (account.Role is MqttRoles.Agent or MqttRoles.Daq && !ProtocolRules.IsValidSourceId(account.Username))
            {
                problems.Add($"{where}:Username '{account.Username}' must be the publisher's id ({ProtocolRules.SourceIdPattern}): it is part of its topics.");
            }

            if (!MqttRoles.IsKnown(account.Role))
            {
                problems.Add($"{where}:Role '{account.Role}' is unknown; use {string.Join(", ", MqttRoles.All)}.");
            }

            if (!MqttPasswordHasher.IsWellFormed(account.PasswordHash))
            {
                problems.Add($"{where}:PasswordHash is not a PBKDF2 hash; make one with 'dotnet run --project Server -- hash-mqtt-password' (never configure a plain password).");
            }
        }

        foreach (var name in accounts.Where(a => !string.IsNullOrEmpty(a.Username)).GroupBy(a => a.Username, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Mqtt:Accounts names '{name.Key}' {name.Count()} times.");
        }

        return problems;
    }
}
