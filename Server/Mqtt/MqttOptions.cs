using System.Net;
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

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
