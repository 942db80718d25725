namespace Clovers.Monitor.Server.Ingest;

/// <summary>Why a message or a reading was refused. These codes appear in diagnostics and logs.</summary>
public static class RejectionReasons
{
    public const string Oversize = "oversize";
    public const string MalformedJson = "malformed-json";
    public const string SchemaVersion = "schema-version";
    public const string UnknownTopic = "unknown-topic";
    public const string BadSourceId = "bad-source-id";
    public const string SourceIdMismatch = "source-id-mismatch";
    public const string TooManyReadings = "too-many-readings";
    public const string TooManyChannels = "too-many-channels";
    public const string TooManyAgents = "too-many-agents";
    public const string BadChannelId = "bad-channel-id";
    public const string BadDescriptor = "bad-descriptor";
    public const string NonFiniteValue = "non-finite-value";
    public const string TimestampInFuture = "timestamp-in-future";
    public const string TimestampTooOld = "timestamp-too-old";
    public const string UnknownChannel = "unknown-channel";
    public const string StaleSequence = "stale-sequence";

    // DAQ messages (docs/protocol.md, "DAQ").
    public const string TooManyHistograms = "too-many-histograms";
    public const string TooManyBins = "too-many-bins";
    public const string BadHistogram = "bad-histogram";
    public const string HistogramKeyMismatch = "histogram-key-mismatch";
    public const string BadDaqStatus = "bad-daq-status";
    public const string TooManyDaqs = "too-many-daqs";
    public const string CountsDecreased = "counts-decreased";
    public const string BinningChanged = "binning-changed";

    // Not refusals: a repeated or overtaken DAQ message is ignored, and counted under these.
    public const string DuplicateSequence = "duplicate-sequence";
    public const string StaleRun = "stale-run";
}
