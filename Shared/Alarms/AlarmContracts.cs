using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Alarms;

/// <summary>How urgent an alarm is. Ordered, so that the worst sorts last.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmSeverity>))]
public enum AlarmSeverity
{
    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("major")]
    Major,

    [JsonStringEnumMemberName("critical")]
    Critical,
}

/// <summary>Alarm states after ISA-18.2 (as Phoebus shows them). The last three hide the alarm from annunciation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlarmState>))]
public enum AlarmState
{
    [JsonStringEnumMemberName("normal")]
    Normal,

    [JsonStringEnumMemberName("activeUnacknowledged")]
    ActiveUnacknowledged,

    [JsonStringEnumMemberName("activeAcknowledged")]
    ActiveAcknowledged,

    /// <summary>The condition is gone but nobody has acknowledged it yet: latched until acknowledged.</summary>
    [JsonStringEnumMemberName("returnedUnacknowledged")]
    ReturnedUnacknowledged,

    /// <summary>Set aside by an operator until a time, with a reason; unshelves by itself.</summary>
    [JsonStringEnumMemberName("shelved")]
    Shelved,

    /// <summary>Hidden by the system because the process is expected to be off (a ramping HV, a beam trip).</summary>
    [JsonStringEnumMemberName("suppressedByDesign")]
    SuppressedByDesign,

    /// <summary>Taken out of service (equipment under maintenance) until returned by an operator.</summary>
    [JsonStringEnumMemberName("outOfService")]
    OutOfService,
}

/// <summary>Shelving details of a shelved alarm.</summary>
public sealed record ShelveInfo(string User, DateTimeOffset Until, string Reason);

/// <summary>An alarm as the API, the hub and the UI show it.</summary>
public sealed record AlarmView(
    string AlarmId,
    string RuleId,
    string Name,
    AlarmSeverity Severity,
    AlarmState State,
    bool ConditionActive,
    bool Flapping,
    DateTimeOffset Since,
    double? Value,
    string? GroupKey,
    ShelveInfo? Shelve);

/// <summary>One recorded change of an alarm's state, as <c>GET /api/alarms/history</c> lists it.</summary>
public sealed record AlarmHistoryEntry(
    long Id,
    string AlarmId,
    string RuleId,
    string RuleName,
    AlarmSeverity Severity,
    AlarmState From,
    AlarmState To,
    DateTimeOffset At,
    string User,
    double? Value,
    string? Comment);

/// <summary>Body of an acknowledge or unshelve request: who acts is the caller, why is the comment.</summary>
public sealed record AlarmCommentRequest(string Comment);

/// <summary>Body of a shelve request: for how long, and why.</summary>
public sealed record AlarmShelveRequest(string Comment, double Hours);

/// <summary>Routes of the alarm API, shared by the server and the client.</summary>
public static class AlarmRoutes
{
    public const string Active = "/api/alarms/active";
    public const string History = "/api/alarms/history";
    public const string Rules = "/api/alarms/rules";

    public static string Acknowledge(string ruleId) => $"/api/alarms/{Uri.EscapeDataString(ruleId)}/ack";

    public static string Shelve(string ruleId) => $"/api/alarms/{Uri.EscapeDataString(ruleId)}/shelve";

    public static string Unshelve(string ruleId) => $"/api/alarms/{Uri.EscapeDataString(ruleId)}/unshelve";
}
