namespace Clovers.Monitor.Shared.Protocol;

/// <summary>
/// MQTT topic names of protocol v1. Every topic is built here so that no publisher or
/// subscriber spells one by hand. See docs/protocol.md.
/// </summary>
public static class Topics
{
    public const string Root = "clovers/v1";
    public const string AgentsPrefix = Root + "/agents/";
    public const string DaqPrefix = Root + "/daq/";

    public const string StatusSuffix = "status";
    public const string ReadingsSuffix = "readings";
    public const string CommandsSuffix = "commands";
    public const string RepliesSuffix = "replies";
    public const string HistogramsSuffix = "histograms";

    /// <summary>Filter that matches the status (birth / will) topic of every agent.</summary>
    public const string AllAgentStatus = AgentsPrefix + "+/" + StatusSuffix;

    /// <summary>Filter that matches the readings topic of every agent.</summary>
    public const string AllAgentReadings = AgentsPrefix + "+/" + ReadingsSuffix;

    public const string AllDaqStatus = DaqPrefix + "+/" + StatusSuffix;
    public const string AllDaqHistograms = DaqPrefix + "+/" + HistogramsSuffix;

    public static string AgentStatus(string agentId) => AgentsPrefix + agentId + "/" + StatusSuffix;

    public static string AgentReadings(string agentId) => AgentsPrefix + agentId + "/" + ReadingsSuffix;

    public static string AgentCommands(string agentId) => AgentsPrefix + agentId + "/" + CommandsSuffix;

    public static string AgentReplies(string agentId) => AgentsPrefix + agentId + "/" + RepliesSuffix;

    public static string DaqStatus(string daqId) => DaqPrefix + daqId + "/" + StatusSuffix;

    public static string DaqHistograms(string daqId) => DaqPrefix + daqId + "/" + HistogramsSuffix;

    /// <summary>
    /// Splits an agent topic into its agent id and suffix. Returns false for any topic that is
    /// not exactly <c>clovers/v1/agents/{id}/{suffix}</c>.
    /// </summary>
    public static bool TryParseAgentTopic(string topic, out string agentId, out string suffix)
    {
        agentId = string.Empty;
        suffix = string.Empty;
        if (!topic.StartsWith(AgentsPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(AgentsPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].IndexOf('/') >= 0)
        {
            return false;
        }

        agentId = rest[..slash].ToString();
        suffix = rest[(slash + 1)..].ToString();
        return suffix.Length > 0;
    }
}
