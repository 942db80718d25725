using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Control;

/// <summary>
/// Source-generated JSON of the control messages, on MQTT and over REST: the protocol's rules
/// (camelCase, enums as strings, strict numbers, required fields enforced).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = 16,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlReply))]
[JsonSerializable(typeof(HvCommandRequest))]
[JsonSerializable(typeof(ControlCommandView))]
[JsonSerializable(typeof(IReadOnlyList<ControlCommandView>))]
[JsonSerializable(typeof(HvPolicyView))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
