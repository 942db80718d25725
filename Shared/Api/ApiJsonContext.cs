using System.Text.Json;
using System.Text.Json.Serialization;
using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.Shared.Api;

/// <summary>Source-generated JSON for the REST API and the hub, shared by server and client.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<ChannelState>))]
[JsonSerializable(typeof(IReadOnlyList<AgentInfo>))]
[JsonSerializable(typeof(IReadOnlyList<ChannelUpdate>))]
[JsonSerializable(typeof(IReadOnlyList<ChannelStatusChange>))]
[JsonSerializable(typeof(ChannelState[]))]
[JsonSerializable(typeof(AgentInfo[]))]
[JsonSerializable(typeof(ChannelUpdate[]))]
[JsonSerializable(typeof(LiveSnapshot))]
[JsonSerializable(typeof(ChannelHistory))]
[JsonSerializable(typeof(IngestDiagnostics))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(SimulationFaultsState))]
[JsonSerializable(typeof(IReadOnlyList<Alarms.AlarmView>))]
[JsonSerializable(typeof(IReadOnlyList<Alarms.AlarmHistoryEntry>))]
[JsonSerializable(typeof(Alarms.AlarmCommentRequest))]
[JsonSerializable(typeof(Alarms.AlarmShelveRequest))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(BrokerSecurityDiagnostics))]
[JsonSerializable(typeof(LogbookPage))]
[JsonSerializable(typeof(LogbookEntry))]
[JsonSerializable(typeof(NewLogbookEntry))]
[JsonSerializable(typeof(LogbookPreviewRequest))]
[JsonSerializable(typeof(LogbookPreview))]
[JsonSerializable(typeof(HandoverReport))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
