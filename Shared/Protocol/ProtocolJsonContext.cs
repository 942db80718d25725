using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Protocol;

/// <summary>
/// Source-generated JSON for every MQTT payload: camelCase names, enums as camelCase strings,
/// no reflection (works trimmed, in WebAssembly and on the agent). Required fields and nullability
/// are enforced, so a missing value is an error rather than a silent zero.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 16,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ReadingBatch))]
[JsonSerializable(typeof(AgentStatusMessage))]
[JsonSerializable(typeof(AgentCommand))]
[JsonSerializable(typeof(HistogramSet))]
[JsonSerializable(typeof(DaqStatusMessage))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
