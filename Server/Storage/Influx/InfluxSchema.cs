namespace Clovers.Monitor.Server.Storage.Influx;

/// <summary>
/// How readings are laid out in InfluxDB: one point per reading. Defined once, here; the
/// writer, the Flux queries and the Grafana dashboards (checked by a test) all use these names.
/// </summary>
public static class InfluxSchema
{
    /// <summary>The measurement every reading is written to.</summary>
    public const string Measurement = "readings";

    /// <summary>Tag holding the dotted channel id (<c>cryo.ln2.level</c>).</summary>
    public const string ChannelTag = "channel";

    /// <summary>Float field with the reading's value.</summary>
    public const string ValueField = "value";

    /// <summary>Integer field with the reading's quality: 0 good, 1 uncertain, 2 bad.</summary>
    public const string QualityField = "quality";

    public static IReadOnlyList<string> Tags { get; } = [ChannelTag];

    public static IReadOnlyList<string> Fields { get; } = [ValueField, QualityField];
}
