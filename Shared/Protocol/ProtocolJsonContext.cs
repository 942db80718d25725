using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Protocol;

/// <summary>
/// Source-generated JSON for every MQTT payload: camelCase names, enums as camelCase strings,
/// no reflection (works trimmed, in WebAssembly and on the agent).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 16)]
[JsonSerializable(typeof(ReadingBatch))]
[JsonSerializable(typeof(AgentStatusMessage))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
