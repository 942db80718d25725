using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Live;

/// <summary>How a channel looks at a glance. Ordered by severity so that the worst wins.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChannelStatus>))]
public enum ChannelStatus
{
    [JsonStringEnumMemberName("ok")]
    Ok = 0,

    [JsonStringEnumMemberName("unknown")]
    Unknown = 1,

    [JsonStringEnumMemberName("warn")]
    Warn = 2,

    [JsonStringEnumMemberName("stale")]
    Stale = 3,

    [JsonStringEnumMemberName("alarm")]
    Alarm = 4,
}

[JsonConverter(typeof(JsonStringEnumConverter<AgentState>))]
public enum AgentState
{
    [JsonStringEnumMemberName("online")]
    Online,

    [JsonStringEnumMemberName("stale")]
    Stale,

    [JsonStringEnumMemberName("offline")]
    Offline,
}
