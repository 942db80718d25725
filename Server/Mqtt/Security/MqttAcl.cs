namespace Clovers.Monitor.Server.Mqtt.Security;

/// <summary>Publish or subscribe, as an ACL rule grants it (mosquitto's <c>write</c> and <c>read</c>).</summary>
public enum MqttAccess
{
    Publish,
    Subscribe,
}

/// <summary>One grant: accounts of <paramref name="Role"/> may <paramref name="Access"/> topics covered by <paramref name="Pattern"/> (<c>%u</c> is the username).</summary>
public sealed record MqttAclRule(string Role, MqttAccess Access, string Pattern);

/// <summary>
/// The embedded broker's access-control list: the rules of <c>deploy/mosquitto/acl</c>, so a
/// publisher is held to the same topics whichever broker it talks to (a test compares the two).
/// Whatever no rule grants is refused.
/// </summary>
public static class MqttAcl
{
    public const string UsernamePlaceholder = "%u";

    public static IReadOnlyList<MqttAclRule> Rules { get; } =
    [
        new(MqttRoles.Agent, MqttAccess.Publish, "clovers/v1/agents/%u/status"),
        new(MqttRoles.Agent, MqttAccess.Publish, "clovers/v1/agents/%u/readings"),
        new(MqttRoles.Agent, MqttAccess.Publish, "clovers/v1/agents/%u/replies"),
        new(MqttRoles.Agent, MqttAccess.Subscribe, "clovers/v1/agents/%u/commands"),
        new(MqttRoles.Daq, MqttAccess.Publish, "clovers/v1/daq/%u/#"),
        new(MqttRoles.Server, MqttAccess.Subscribe, "clovers/v1/#"),
        new(MqttRoles.Server, MqttAccess.Publish, "clovers/v1/agents/+/commands"),
        new(MqttRoles.Reader, MqttAccess.Subscribe, "clovers/v1/#"),
    ];

    /// <summary>
    /// True when a rule of <paramref name="role"/> covers <paramref name="topicOrFilter"/>: every topic
    /// a subscription filter can match, or the one topic of a publish, lies inside a granted pattern.
    /// </summary>
    public static bool Allows(string role, string username, MqttAccess access, string topicOrFilter)
    {
        if (string.IsNullOrEmpty(topicOrFilter))
        {
            return false;
        }

        foreach (var rule in Rules)
        {
            if (rule.Access != access || !string.Equals(rule.Role, role, StringComparison.Ordinal))
            {
                continue;
            }

            if (rule.Pattern.Contains(UsernamePlaceholder, StringComparison.Ordinal) && !IsSafeTopicLevel(username))
            {
                // A name holding '/', '+' or '#' would widen the pattern it is put into.
                continue;
            }

            if (Covers(rule.Pattern.Replace(UsernamePlaceholder, username, StringComparison.Ordinal), topicOrFilter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when every topic that <paramref name="filter"/> matches is also matched by <paramref name="pattern"/>.</summary>
    public static bool Covers(string pattern, string filter)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(filter);
        var granted = pattern.Split('/');
        var asked = filter.Split('/');
        for (var i = 0; i < granted.Length; i++)
        {
            if (granted[i] == "#")
            {
                return true;
            }

            if (i >= asked.Length || asked[i] == "#")
            {
                return false;
            }

            if (granted[i] == "+")
            {
                continue;
            }

            if (asked[i] == "+" || !string.Equals(granted[i], asked[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return asked.Length == granted.Length;
    }

    private static bool IsSafeTopicLevel(string username) =>
        username.Length > 0 && username.IndexOfAny(['/', '+', '#', '\0']) < 0;
}
