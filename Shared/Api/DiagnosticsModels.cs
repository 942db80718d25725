using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Api;

/// <summary>
/// Answer of <c>GET /api/diagnostics</c>: everything the Diagnostics page shows about one Server
/// instance, read at <see cref="At"/>.
/// </summary>
/// <param name="Instance">Which Server answered (its MQTT client id, unique per instance when scaled out).</param>
public sealed record ServerDiagnostics(
    DateTimeOffset At,
    string Instance,
    string Version,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    IngestRates Rates,
    IngestDiagnostics Ingest,
    ConnectionDiagnostics Connections,
    IReadOnlyList<AgentOutboxDepth> Outboxes,
    ProcessDiagnostics Process,
    ScaleOutDiagnostics ScaleOut);

/// <summary>Ingest rates averaged over the last <see cref="WindowSeconds"/> (up to a minute).</summary>
public sealed record IngestRates(double MessagesPerSecond, double ReadingsPerSecond, double StoredPerSecond, double WindowSeconds);

/// <summary>
/// Browsers on the live hub of this instance, and MQTT clients on the embedded broker (null when
/// the Server uses an external broker, which it cannot count). Push failures are rounds of live
/// pushes that failed since start (for example while the Redis backplane is unreachable).
/// </summary>
public sealed record ConnectionDiagnostics(int HubConnections, int? MqttClients, bool IngestConnected, long PushFailures);

/// <summary>An agent's store-and-forward backlog as it last published it (<c>agent.{id}.outbox_depth</c>).</summary>
public sealed record AgentOutboxDepth(string AgentId, double Depth, DateTimeOffset Timestamp);

/// <summary>Memory and garbage collection of the Server process.</summary>
public sealed record ProcessDiagnostics(
    long WorkingSetBytes,
    long GcHeapBytes,
    long TotalAllocatedBytes,
    double AllocatedBytesPerSecond,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    int ThreadCount);

/// <summary>How this instance shares work with others: the SignalR backplane and the MQTT shared-subscription group.</summary>
public sealed record ScaleOutDiagnostics(bool RedisBackplane, string? SharedSubscriptionGroup);

public static class DiagnosticsRoutes
{
    /// <summary>One document with every figure of <see cref="ServerDiagnostics"/>.</summary>
    public const string Diagnostics = "/api/diagnostics";

    /// <summary>The same figures in Prometheus text format, named <c>clovers_…</c>.</summary>
    public const string Metrics = "/metrics";
}

/// <summary>Source-generated JSON of the diagnostics document, for the server and the client.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ServerDiagnostics))]
public sealed partial class DiagnosticsJsonContext : JsonSerializerContext;
