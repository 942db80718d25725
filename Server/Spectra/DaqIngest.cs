using System.Buffers;
using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// Ingest of the DAQ topics, called by the MQTT ingest client for every message under
/// <c>clovers/v1/daq/</c>. A histogram set that passes the form, run and sequence rules goes into
/// the pipeline as <see cref="AcceptedHistograms"/>; a DAQ status becomes what an agent would
/// publish — a birth declaring the derived channels (<see cref="DaqChannels"/>) when the DAQ comes
/// online, then readings of its rates — so liveness, store, live state and alarms need nothing new.
/// Every refusal is counted by reason and DAQ and logged at most once per reason and DAQ every 10 s.
/// </summary>
public sealed class DaqIngest
{
    private readonly IngestPipeline _pipeline;
    private readonly IngestCounters _counters;
    private readonly DaqRunTracker _tracker;
    private readonly TimeProvider _time;
    private readonly PerKeyThrottle _rateLimit;
    private readonly ILogger<DaqIngest> _logger;
    private readonly Dictionary<string, Announcement> _announced = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _readingSeq;

    public DaqIngest(IngestPipeline pipeline, IngestCounters counters, DaqRunTracker tracker, TimeProvider time, ILogger<DaqIngest> logger)
    {
        _pipeline = pipeline;
        _counters = counters;
        _tracker = tracker;
        _time = time;
        _rateLimit = new PerKeyThrottle(time, TimeSpan.FromSeconds(10));
        _logger = logger;
        _readingSeq = time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    public static bool IsDaqTopic(string topic) => topic.StartsWith(Topics.DaqPrefix, StringComparison.Ordinal);

    /// <summary>Validates one DAQ message and passes on what it means. Never throws for bad input.</summary>
    public async ValueTask IngestAsync(string topic, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var parse = DaqMessageValidator.Validate(topic, payload, now);
        if (parse.Rejected)
        {
            Reject(parse.RejectionReason!, parse.DaqId, parse.Detail);
            return;
        }

        if (parse.Histograms is { } set)
        {
            await IngestHistogramsAsync(set, now, cancellationToken);
        }
        else if (parse.Status is { } status)
        {
            await IngestStatusAsync(status, now, cancellationToken);
        }
    }

    /// <summary>
    /// Declares a DAQ's derived channels if no birth was made for it since it was last offline:
    /// histograms (and fits from them) may arrive before the DAQ's first status.
    /// </summary>
    public ValueTask EnsureAnnouncedAsync(string daqId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        AgentStatusChanged? birth;
        lock (_gate)
        {
            birth = _announced.ContainsKey(daqId) ? null : Announce(daqId, now, new Announcement(5, false, null));
        }

        return birth is null ? ValueTask.CompletedTask : _pipeline.PublishAsync(birth, cancellationToken);
    }

    private async ValueTask IngestHistogramsAsync(HistogramSet set, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (verdict, key) = _tracker.Observe(set);
        switch (verdict)
        {
            case DaqVerdict.Duplicate:
                _counters.MessageIgnored(RejectionReasons.DuplicateSequence, set.DaqId);
                return;
            case DaqVerdict.Stale:
                _counters.MessageIgnored(RejectionReasons.StaleSequence, set.DaqId);
                return;
            case DaqVerdict.StaleRun:
                _counters.MessageIgnored(RejectionReasons.StaleRun, set.DaqId);
                return;
            case DaqVerdict.CountsDecreased:
                Reject(RejectionReasons.CountsDecreased, set.DaqId, $"run {set.Run} seq {set.Seq}: a cumulative count of '{key}' is lower than before");
                return;
            case DaqVerdict.BinningChanged:
                Reject(RejectionReasons.BinningChanged, set.DaqId, $"run {set.Run} seq {set.Seq}: the edges of '{key}' changed within the run");
                return;
            case DaqVerdict.TooManyDaqs:
                Reject(RejectionReasons.TooManyDaqs, set.DaqId, $"more than {DaqRunTracker.MaxDaqs} DAQs");
                return;
        }

        _counters.MessageAccepted(0);
        await EnsureAnnouncedAsync(set.DaqId, now, cancellationToken);

        // Waits while the pipeline is full: back-pressure reaches the broker, not memory.
        await _pipeline.PublishAsync(new AcceptedHistograms(set.DaqId, now, set, verdict == DaqVerdict.NewRun), cancellationToken);
    }

    private async ValueTask IngestStatusAsync(DaqStatusMessage status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var daqId = status.DaqId;
        if (status.State == DaqRunState.Offline)
        {
            lock (_gate)
            {
                _announced.Remove(daqId);
            }

            _counters.MessageAccepted(0);
            var offline = new AgentStatusMessage(ProtocolRules.SchemaVersion, daqId, AgentLifecycle.Offline, status.Timestamp);
            await _pipeline.PublishAsync(new AgentStatusChanged(daqId, now, offline), cancellationToken);
            return;
        }

        AgentStatusChanged? birth;
        lock (_gate)
        {
            if (!_announced.ContainsKey(daqId) && _announced.Count >= DaqRunTracker.MaxDaqs)
            {
                birth = null;
                Reject(RejectionReasons.TooManyDaqs, daqId, $"more than {DaqRunTracker.MaxDaqs} DAQs");
                return;
            }

            var wanted = new Announcement(status.HeartbeatSeconds, status.Simulated, status.Version);
            birth = _announced.TryGetValue(daqId, out var known) && known == wanted ? null : Announce(daqId, now, wanted);
        }

        if (birth is not null)
        {
            await _pipeline.PublishAsync(birth, cancellationToken);
        }

        var at = status.Timestamp;
        Reading[] readings =
        [
            new(DaqChannels.TriggerRate(daqId), at, status.TriggerRateHz),
            new(DaqChannels.Livetime(daqId), at, status.LivetimeFraction * 100),
            new(DaqChannels.VetoRate(daqId), at, status.VetoRateHz),
        ];
        _counters.MessageAccepted(readings.Length);
        await _pipeline.PublishAsync(new AcceptedReadings(daqId, now, Interlocked.Increment(ref _readingSeq), false, readings), cancellationToken);
    }

    private AgentStatusChanged Announce(string daqId, DateTimeOffset now, Announcement announcement)
    {
        _announced[daqId] = announcement;
        var birth = new AgentStatusMessage(ProtocolRules.SchemaVersion, daqId, AgentLifecycle.Online, now)
        {
            Version = announcement.Version,
            HeartbeatSeconds = announcement.HeartbeatSeconds,
            Simulated = announcement.Simulated,
            Channels = DaqChannels.Descriptors(daqId, announcement.HeartbeatSeconds),
        };
        return new AgentStatusChanged(daqId, now, birth);
    }

    private void Reject(string reason, string daqId, string? detail)
    {
        _counters.MessageRejected(reason, daqId);
        if (_rateLimit.TryPass(reason + "|" + daqId, out var suppressed))
        {
            _logger.LogWarning("Rejected DAQ input from {Source}: {Reason}: {Detail} ({Suppressed} similar not logged)", daqId, reason, detail, suppressed);
        }
    }

    private sealed record Announcement(double HeartbeatSeconds, bool Simulated, string? Version);
}
