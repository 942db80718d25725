namespace Clovers.Monitor.Server.Mqtt.Security;

/// <summary>What an MQTT account may do on the embedded broker; the same split as <c>deploy/mosquitto/acl</c>.</summary>
public static class MqttRoles
{
    /// <summary>An edge agent: publishes under <c>clovers/v1/agents/{username}/…</c>, hears only its own commands.</summary>
    public const string Agent = "agent";

    /// <summary>A DAQ publisher: publishes under <c>clovers/v1/daq/{username}/…</c>.</summary>
    public const string Daq = "daq";

    /// <summary>The Server: reads all of protocol v1 and may command agents.</summary>
    public const string Server = "server";

    /// <summary>A read-only client (a script, a second dashboard): reads all of protocol v1, publishes nothing.</summary>
    public const string Reader = "reader";

    public static IReadOnlyList<string> All { get; } = [Agent, Daq, Server, Reader];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}

/// <summary>One entry of <c>Mqtt:Accounts</c>: a login of the embedded broker. The password is only ever a hash.</summary>
public sealed class MqttAccountOptions
{
    public string Username { get; set; } = "";

    /// <summary><see cref="MqttRoles.Agent"/>, <see cref="MqttRoles.Daq"/>, <see cref="MqttRoles.Server"/> or <see cref="MqttRoles.Reader"/>.</summary>
    public string Role { get; set; } = "";

    /// <summary>A PBKDF2 hash in ASP.NET Core Identity format (<c>dotnet run --project Server -- hash-mqtt-password</c>).</summary>
    public string PasswordHash { get; set; } = "";

    public override string ToString() => $"{Username} ({Role})";
}
