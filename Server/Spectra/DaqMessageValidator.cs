using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>What one DAQ message turned out to be once its form was checked.</summary>
public sealed record DaqParse(string DaqId, HistogramSet? Histograms, DaqStatusMessage? Status, string? RejectionReason, string? Detail)
{
    public bool Rejected => RejectionReason is not null;

    public static DaqParse Reject(string daqId, string reason, string detail) => new(daqId, null, null, reason, detail);
}

/// <summary>
/// Checks the form of a DAQ message: topic, id, size, JSON, schema, and every histogram's key,
/// edges and counts. Stateless; the sequence and run rules are <see cref="DaqRunTracker"/>'s.
/// </summary>
public static class DaqMessageValidator
{
    public static bool TryParseTopic(string topic, out string daqId, out string suffix)
    {
        daqId = string.Empty;
        suffix = string.Empty;
        if (!topic.StartsWith(Topics.DaqPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = topic.AsSpan(Topics.DaqPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].IndexOf('/') >= 0)
        {
            return false;
        }

        daqId = rest[..slash].ToString();
        suffix = rest[(slash + 1)..].ToString();
        return suffix.Length > 0;
    }

    public static DaqParse Validate(string topic, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        if (!TryParseTopic(topic, out var daqId, out var suffix))
        {
            return DaqParse.Reject("?", RejectionReasons.UnknownTopic, $"topic '{PayloadJson.Truncate(topic)}' is not a protocol v1 DAQ topic");
        }

        if (!ProtocolRules.IsValidSourceId(daqId))
        {
            return DaqParse.Reject("?", RejectionReasons.BadSourceId, $"DAQ id '{PayloadJson.Truncate(daqId)}' in the topic is not valid");
        }

        if (payload.Length > ProtocolRules.MaxPayloadBytes)
        {
            return DaqParse.Reject(daqId, RejectionReasons.Oversize, $"payload of {payload.Length} bytes exceeds {ProtocolRules.MaxPayloadBytes}");
        }

        return suffix switch
        {
            Topics.HistogramsSuffix => ValidateHistograms(daqId, payload),
            Topics.StatusSuffix => ValidateStatus(daqId, payload, now),
            _ => DaqParse.Reject(daqId, RejectionReasons.UnknownTopic, $"topic suffix '{PayloadJson.Truncate(suffix)}' is not ingested"),
        };
    }

    public static DaqParse ValidateHistograms(string daqId, ReadOnlySequence<byte> payload)
    {
        if (!PayloadJson.TryDeserialize(payload, ProtocolJsonContext.Default.HistogramSet, out var set, out var error))
        {
            return DaqParse.Reject(daqId, RejectionReasons.MalformedJson, error);
        }

        if (set.Schema != ProtocolRules.SchemaVersion)
        {
            return DaqParse.Reject(daqId, RejectionReasons.SchemaVersion, $"schema {set.Schema} is not {ProtocolRules.SchemaVersion}");
        }

        if (!string.Equals(set.DaqId, daqId, StringComparison.Ordinal))
        {
            return DaqParse.Reject(daqId, RejectionReasons.SourceIdMismatch, $"daqId '{PayloadJson.Truncate(set.DaqId)}' differs from the topic's");
        }

        if (set.Histograms is null)
        {
            return DaqParse.Reject(daqId, RejectionReasons.MalformedJson, "histograms are missing");
        }

        if (set.Histograms.Count > ProtocolRules.MaxHistogramsPerMessage)
        {
            return DaqParse.Reject(daqId, RejectionReasons.TooManyHistograms, $"{set.Histograms.Count} histograms exceed {ProtocolRules.MaxHistogramsPerMessage}");
        }

        if (set.Run < 0 || set.Seq < 0 || set.Triggers < 0
            || !double.IsFinite(set.LivetimeSeconds) || set.LivetimeSeconds < 0
            || !double.IsFinite(set.ProtonsOnTarget) || set.ProtonsOnTarget < 0)
        {
            return DaqParse.Reject(daqId, RejectionReasons.BadHistogram, "run, seq, triggers, livetimeSeconds and protonsOnTarget must be finite and ≥ 0");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var histogram in set.Histograms)
        {
            if (DescribeProblem(histogram) is { } problem)
            {
                return DaqParse.Reject(daqId, problem.Reason, problem.Detail);
            }

            if (!keys.Add(histogram.Key))
            {
                return DaqParse.Reject(daqId, RejectionReasons.BadHistogram, $"histogram '{histogram.Key}' appears twice");
            }
        }

        return new DaqParse(daqId, set, null, null, null);
    }

    /// <summary>The first thing wrong with one histogram, or null when it is sound.</summary>
    public static (string Reason, string Detail)? DescribeProblem(Histogram? histogram)
    {
        if (histogram?.Key is null || histogram.Edges is null || histogram.Counts is null || histogram.Unit is null)
        {
            return (RejectionReasons.MalformedJson, "a histogram lacks key, unit, edges or counts");
        }

        var key = PayloadJson.Truncate(histogram.Key);
        if (histogram.Counts.Count > ProtocolRules.MaxHistogramBins)
        {
            return (RejectionReasons.TooManyBins, $"histogram '{key}' has {histogram.Counts.Count} bins, more than {ProtocolRules.MaxHistogramBins}");
        }

        if (histogram.Counts.Count == 0 || histogram.Edges.Count != histogram.Counts.Count + 1)
        {
            return (RejectionReasons.BadHistogram, $"histogram '{key}' has {histogram.Edges.Count} edges for {histogram.Counts.Count} bins; it needs at least one bin and one edge more than bins");
        }

        for (var i = 0; i < histogram.Edges.Count; i++)
        {
            if (!double.IsFinite(histogram.Edges[i]) || (i > 0 && histogram.Edges[i] <= histogram.Edges[i - 1]))
            {
                return (RejectionReasons.BadHistogram, $"histogram '{key}' has edges that are not finite and strictly increasing (at index {i})");
            }
        }

        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            if (histogram.Counts[i] < 0)
            {
                return (RejectionReasons.BadHistogram, $"histogram '{key}' has a negative count in bin {i}");
            }
        }

        var expected = ExpectedKey(histogram);
        if (expected is null || !string.Equals(expected.Value.Key, histogram.Key, StringComparison.Ordinal)
            || !string.Equals(expected.Value.Unit, histogram.Unit, StringComparison.Ordinal))
        {
            return (RejectionReasons.HistogramKeyMismatch, $"histogram '{key}' does not match its kind, sub-detector, window, PMT and unit" +
                (expected is { } e ? $" (expected key '{e.Key}' in {e.Unit})" : string.Empty));
        }

        return null;
    }

    /// <summary>The key and unit a histogram must have for its kind, sub-detector, window and PMT; null when those do not fit together.</summary>
    private static (string Key, string Unit)? ExpectedKey(Histogram histogram) => histogram.Kind switch
    {
        HistogramKind.Npe when histogram is { SubDetector: >= 1 and <= DaqChannels.SubDetectors, Window: { } window, Pmt: null }
            && Enum.IsDefined(window)
            => (HistogramKeys.Npe(histogram.SubDetector.Value, window), HistogramKeys.NpeUnit),
        HistogramKind.SpeCharge when histogram is { Window: null } && DaqChannels.IsPmt(histogram.Pmt)
            && (histogram.SubDetector is null || histogram.SubDetector == DaqChannels.SubDetectorOf(histogram.Pmt!))
            => (HistogramKeys.Spe(histogram.Pmt!), HistogramKeys.ChargeUnit),
        _ => null,
    };

    public static DaqParse ValidateStatus(string daqId, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        if (payload.Length == 0)
        {
            // An empty retained message clears the retained status: the DAQ is gone.
            return new DaqParse(daqId, null, new DaqStatusMessage(ProtocolRules.SchemaVersion, daqId, now, 0, DaqRunState.Offline, 0, 0, 0), null, null);
        }

        if (!PayloadJson.TryDeserialize(payload, ProtocolJsonContext.Default.DaqStatusMessage, out var status, out var error))
        {
            return DaqParse.Reject(daqId, RejectionReasons.MalformedJson, error);
        }

        if (status.Schema != ProtocolRules.SchemaVersion)
        {
            return DaqParse.Reject(daqId, RejectionReasons.SchemaVersion, $"schema {status.Schema} is not {ProtocolRules.SchemaVersion}");
        }

        if (!string.Equals(status.DaqId, daqId, StringComparison.Ordinal))
        {
            return DaqParse.Reject(daqId, RejectionReasons.SourceIdMismatch, $"daqId '{PayloadJson.Truncate(status.DaqId)}' differs from the topic's");
        }

        if (!Enum.IsDefined(status.State) || status.Run < 0
            || !double.IsFinite(status.TriggerRateHz) || status.TriggerRateHz < 0
            || !double.IsFinite(status.VetoRateHz) || status.VetoRateHz < 0
            || !double.IsFinite(status.LivetimeFraction) || status.LivetimeFraction is < 0 or > 1
            || !double.IsFinite(status.HeartbeatSeconds) || status.HeartbeatSeconds is <= 0 or > 3600)
        {
            return DaqParse.Reject(daqId, RejectionReasons.BadDaqStatus,
                "run and rates must be finite and ≥ 0, livetimeFraction within [0, 1], heartbeatSeconds within (0, 3600]");
        }

        if (status.State != DaqRunState.Offline)
        {
            if (status.Timestamp - now > ProtocolRules.MaxClockAhead)
            {
                return DaqParse.Reject(daqId, RejectionReasons.TimestampInFuture, $"timestamp {status.Timestamp:O} is ahead of the Server's clock");
            }

            if (now - status.Timestamp > ProtocolRules.MaxAge)
            {
                return DaqParse.Reject(daqId, RejectionReasons.TimestampTooOld, $"timestamp {status.Timestamp:O} is too old");
            }
        }

        return new DaqParse(daqId, null, status with { Timestamp = status.Timestamp.ToUniversalTime() }, null, null);
    }
}
