using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Diagnostics;

/// <summary>
/// Reads every figure of <see cref="ServerDiagnostics"/> from where it lives: ingest counters,
/// the rate sampler, the hub, the embedded broker, agents' outbox channels and the runtime.
/// </summary>
public sealed class ServerDiagnosticsCollector
{
    public const string OutboxChannelPrefix = "agent.";
    public const string OutboxChannelSuffix = ".outbox_depth";

    private readonly IngestCounters _counters;
    private readonly DiagnosticsSampler _sampler;
    private readonly IngestPipeline _pipeline;
    private readonly IEnumerable<IIngestStage> _stages;
    private readonly HubConnectionCounter _hubConnections;
    private readonly HubBroadcaster _broadcaster;
    private readonly MqttIngestClient _ingest;
    private readonly EmbeddedBroker? _broker;
    private readonly LiveStateStore _live;
    private readonly ServerIdentity _identity;
    private readonly MqttOptions _mqtt;
    private readonly LiveOptions _liveOptions;
    private readonly TimeProvider _time;

    public ServerDiagnosticsCollector(
        IngestCounters counters,
        DiagnosticsSampler sampler,
        IngestPipeline pipeline,
        IEnumerable<IIngestStage> stages,
        HubConnectionCounter hubConnections,
        HubBroadcaster broadcaster,
        MqttIngestClient ingest,
        LiveStateStore live,
        ServerIdentity identity,
        IOptions<MqttOptions> mqtt,
        IOptions<LiveOptions> liveOptions,
        TimeProvider time,
        IServiceProvider services)
    {
        _counters = counters;
        _sampler = sampler;
        _pipeline = pipeline;
        _stages = stages;
        _hubConnections = hubConnections;
        _broadcaster = broadcaster;
        _ingest = ingest;
        _live = live;
        _identity = identity;
        _mqtt = mqtt.Value;
        _liveOptions = liveOptions.Value;
        _time = time;
        _broker = services.GetService<EmbeddedBroker>();
    }

    public async Task<ServerDiagnostics> CollectAsync()
    {
        var now = _time.GetUtcNow();
        var rates = _sampler.Rates();
        int? mqttClients = _broker is null ? null : await _broker.CountClientsAsync();
        var memory = GC.GetGCMemoryInfo();
        return new ServerDiagnostics(
            now,
            _mqtt.ClientId,
            _identity.Version,
            _identity.StartedAt,
            Math.Max(0, (now - _identity.StartedAt).TotalSeconds),
            new IngestRates(rates.MessagesPerSecond, rates.ReadingsPerSecond, rates.StoredPerSecond, rates.Window.TotalSeconds),
            _counters.Snapshot(LiveEndpoints.QueueDepths(_pipeline, _stages)),
            new ConnectionDiagnostics(_hubConnections.Connections, mqttClients, _ingest.IsConnected, _broadcaster.PushFailures),
            OutboxDepths(_live.Snapshot().Channels),
            new ProcessDiagnostics(
                Environment.WorkingSet,
                memory.HeapSizeBytes,
                GC.GetTotalAllocatedBytes(),
                rates.AllocatedBytesPerSecond,
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                ThreadPool.ThreadCount),
            new ScaleOutDiagnostics(!string.IsNullOrWhiteSpace(_liveOptions.Redis), _mqtt.SharedSubscriptionGroup));
    }

    /// <summary>Agents' outbox depths from their <c>agent.{id}.outbox_depth</c> channels that hold a value.</summary>
    public static IReadOnlyList<AgentOutboxDepth> OutboxDepths(IEnumerable<ChannelState> channels) =>
        [.. channels
            .Where(c => c.Value is not null && c.Timestamp is not null
                && c.Id.StartsWith(OutboxChannelPrefix, StringComparison.Ordinal)
                && c.Id.EndsWith(OutboxChannelSuffix, StringComparison.Ordinal)
                && c.Id.Length > OutboxChannelPrefix.Length + OutboxChannelSuffix.Length)
            .Select(c => new AgentOutboxDepth(c.Id[OutboxChannelPrefix.Length..^OutboxChannelSuffix.Length], c.Value!.Value, c.Timestamp!.Value))
            .OrderBy(o => o.AgentId, StringComparer.Ordinal)];
}
