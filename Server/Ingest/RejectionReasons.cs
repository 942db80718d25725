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
}
