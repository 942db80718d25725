using Clovers.Monitor.Shared.Api;
using Prometheus;

namespace Clovers.Monitor.Server.Diagnostics;

/// <summary>
/// The diagnostics document as Prometheus metrics named <c>clovers_…</c> with their units. Each
/// host has its own registry (never prometheus-net's static default), filled from one
/// <see cref="ServerDiagnosticsCollector"/> reading just before every scrape, so the page, the
/// REST document and Prometheus always tell the same figures.
/// </summary>
public sealed class PrometheusExporter
{
    private readonly ServerDiagnosticsCollector _collector;
    private readonly Counter _messagesReceived;
    private readonly Counter _messagesAccepted;
    private readonly Counter _messagesRejected;
    private readonly Counter _readingsAccepted;
    private readonly Counter _readingsStored;
    private readonly Counter _sequenceGaps;
    private readonly Counter _rejectionsByReason;
    private readonly Counter _rejectionsBySource;
    private readonly Gauge _messageRate;
    private readonly Gauge _readingRate;
    private readonly Gauge _queueDepth;
    private readonly Gauge _storeLatency;
    private readonly Counter _storeBatches;
    private readonly Gauge _hubConnections;
    private readonly Gauge _mqttClients;
    private readonly Gauge _ingestConnected;
    private readonly Counter _pushFailures;
    private readonly Gauge _outboxDepth;
    private readonly Gauge _workingSet;
    private readonly Gauge _gcHeap;
    private readonly Counter _allocated;
    private readonly Counter _collections;
    private readonly Gauge _threads;
    private readonly Gauge _uptime;
    private readonly Gauge _info;

    public PrometheusExporter(ServerDiagnosticsCollector collector)
    {
        _collector = collector;
        Registry = Metrics.NewCustomRegistry();
        Registry.AddBeforeCollectCallback(_ => UpdateAsync());
        var metrics = Metrics.WithCustomRegistry(Registry);
        _messagesReceived = metrics.CreateCounter("clovers_ingest_messages_received_total", "MQTT messages received by ingest.");
        _messagesAccepted = metrics.CreateCounter("clovers_ingest_messages_accepted_total", "MQTT messages that passed validation.");
        _messagesRejected = metrics.CreateCounter("clovers_ingest_messages_rejected_total", "MQTT messages refused whole.");
        _readingsAccepted = metrics.CreateCounter("clovers_ingest_readings_accepted_total", "Readings accepted into the pipeline.");
        _readingsStored = metrics.CreateCounter("clovers_ingest_readings_stored_total", "Readings committed to the time-series store.");
        _sequenceGaps = metrics.CreateCounter("clovers_ingest_sequence_gaps_total", "Reading batches missing from agents' sequence numbers.");
        _rejectionsByReason = metrics.CreateCounter("clovers_ingest_rejections_total", "Refused messages and readings by reason.", "reason");
        _rejectionsBySource = metrics.CreateCounter("clovers_ingest_rejections_by_source_total", "Refused messages and readings by publishing agent.", "source");
        _messageRate = metrics.CreateGauge("clovers_ingest_messages_per_second", "MQTT messages received per second over the last minute.");
        _readingRate = metrics.CreateGauge("clovers_ingest_readings_per_second", "Readings accepted per second over the last minute.");
        _queueDepth = metrics.CreateGauge("clovers_queue_depth_items", "Items waiting in an ingest queue.", "queue");
        _storeLatency = metrics.CreateGauge("clovers_store_write_latency_seconds", "Store batch write time over recent batches.", "quantile");
        _storeBatches = metrics.CreateCounter("clovers_store_write_batches_total", "Batches written to the time-series store.");
        _hubConnections = metrics.CreateGauge("clovers_hub_connections", "Browsers connected to this instance's live hub.");
        _mqttClients = metrics.CreateGauge("clovers_mqtt_broker_clients", "MQTT clients connected to the embedded broker (absent with an external broker).");
        _ingestConnected = metrics.CreateGauge("clovers_ingest_connected", "1 while ingest is connected to the MQTT broker.");
        _pushFailures = metrics.CreateCounter("clovers_hub_push_failures_total", "Rounds of live pushes to browsers that failed.");
        _outboxDepth = metrics.CreateGauge("clovers_agent_outbox_depth", "Entries in an agent's outbox as it last published them.", "agent");
        _workingSet = metrics.CreateGauge("clovers_process_working_set_bytes", "Resident memory of the Server process.");
        _gcHeap = metrics.CreateGauge("clovers_gc_heap_bytes", "Managed heap size after the last garbage collection.");
        _allocated = metrics.CreateCounter("clovers_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.");
        _collections = metrics.CreateCounter("clovers_gc_collections_total", "Garbage collections by generation.", "generation");
        _threads = metrics.CreateGauge("clovers_threadpool_threads", "Thread-pool threads.");
        _uptime = metrics.CreateGauge("clovers_uptime_seconds", "Time since the Server started.");
        _info = metrics.CreateGauge("clovers_server_info", "Always 1; labels name the instance and version.", "instance", "version");
    }

    public CollectorRegistry Registry { get; }

    private async Task UpdateAsync()
    {
        var d = await _collector.CollectAsync();
        var ingest = d.Ingest;
        _messagesReceived.IncTo(ingest.MessagesReceived);
        _messagesAccepted.IncTo(ingest.MessagesAccepted);
        _messagesRejected.IncTo(ingest.MessagesRejected);
        _readingsAccepted.IncTo(ingest.ReadingsAccepted);
        _readingsStored.IncTo(ingest.ReadingsStored);
        _sequenceGaps.IncTo(ingest.SequenceGaps);
        foreach (var (reason, count) in ingest.RejectedByReason)
        {
            _rejectionsByReason.WithLabels(reason).IncTo(count);
        }

        foreach (var (source, count) in ingest.RejectedBySource)
        {
            _rejectionsBySource.WithLabels(source).IncTo(count);
        }

        _messageRate.Set(d.Rates.MessagesPerSecond);
        _readingRate.Set(d.Rates.ReadingsPerSecond);
        foreach (var (queue, depth) in ingest.QueueDepths)
        {
            _queueDepth.WithLabels(queue).Set(depth);
        }

        _storeLatency.WithLabels("0.5").Set(ingest.StoreWriteLatency.P50Ms / 1000);
        _storeLatency.WithLabels("0.99").Set(ingest.StoreWriteLatency.P99Ms / 1000);
        _storeBatches.IncTo(ingest.StoreWriteLatency.Batches);
        _hubConnections.Set(d.Connections.HubConnections);
        if (d.Connections.MqttClients is { } clients)
        {
            _mqttClients.Set(clients);
        }
        else
        {
            _mqttClients.Unpublish();
        }

        _ingestConnected.Set(d.Connections.IngestConnected ? 1 : 0);
        _pushFailures.IncTo(d.Connections.PushFailures);
        UpdateOutboxes(d.Outboxes);
        _workingSet.Set(d.Process.WorkingSetBytes);
        _gcHeap.Set(d.Process.GcHeapBytes);
        _allocated.IncTo(d.Process.TotalAllocatedBytes);
        _collections.WithLabels("0").IncTo(d.Process.Gen0Collections);
        _collections.WithLabels("1").IncTo(d.Process.Gen1Collections);
        _collections.WithLabels("2").IncTo(d.Process.Gen2Collections);
        _threads.Set(d.Process.ThreadCount);
        _uptime.Set(d.UptimeSeconds);
        _info.WithLabels(d.Instance, d.Version).Set(1);
    }

    private void UpdateOutboxes(IReadOnlyList<AgentOutboxDepth> outboxes)
    {
        // An agent that stopped publishing its depth must not keep its last figure forever.
        var current = outboxes.Select(o => o.AgentId).ToHashSet(StringComparer.Ordinal);
        foreach (var labels in _outboxDepth.GetAllLabelValues())
        {
            if (!current.Contains(labels[0]))
            {
                _outboxDepth.RemoveLabelled(labels);
            }
        }

        foreach (var outbox in outboxes)
        {
            _outboxDepth.WithLabels(outbox.AgentId).Set(outbox.Depth);
        }
    }
}
