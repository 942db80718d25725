using System.Globalization;
using System.Text;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Storage.Influx;

/// <summary>
/// The Flux text of the store's queries. Channel ids are checked against the protocol's pattern
/// before they reach a query, and every string literal is escaped as well, so no input can
/// change the query's shape.
/// </summary>
internal static class FluxQueries
{
    /// <summary>Result names of the range query, one yield per statistic.</summary>
    public const string MinResult = "min";
    public const string MaxResult = "max";
    public const string MeanResult = "mean";
    public const string LastResult = "last";
    public const string CountResult = "count";

    // InfluxDB keeps nanoseconds since the epoch in an int64: these are the instants it can hold.
    public static readonly long EarliestMs = DateTimeOffset.Parse("1677-09-21T00:12:44Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
    public static readonly long LatestMs = DateTimeOffset.Parse("2262-04-11T23:47:16Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static readonly string[] Statistics = [MinResult, MaxResult, MeanResult, LastResult, CountResult];

    /// <summary>
    /// Min, max, mean, last and count of <paramref name="channel"/>'s values in windows of
    /// <paramref name="widthMs"/> over [<paramref name="startMs"/>, <paramref name="endMs"/>), each as
    /// its own result. Flux windows of a fixed duration start at multiples of it since the Unix epoch
    /// (offset 0); the range bounds are multiples too, so no window is clipped. Every window yields a
    /// row (<c>createEmpty</c>), stamped with its start.
    /// </summary>
    public static string Range(string bucket, string channel, long startMs, long endMs, long widthMs)
    {
        RequireChannelId(channel);
        if (widthMs <= 0 || startMs % widthMs != 0 || endMs % widthMs != 0 || endMs <= startMs)
        {
            throw new ArgumentException(
                $"The range [{startMs}, {endMs}) must be whole windows of {widthMs} ms aligned to the epoch.", nameof(widthMs));
        }

        var every = Duration(widthMs);
        var query = new StringBuilder();
        query.Append("data = from(bucket: ").Append(StringLiteral(bucket)).Append(")\n");
        query.Append("    |> range(start: ").Append(Time(startMs)).Append(", stop: ").Append(Time(endMs)).Append(")\n");
        query.Append("    |> filter(fn: (r) => r._measurement == ").Append(StringLiteral(InfluxSchema.Measurement))
            .Append(" and r._field == ").Append(StringLiteral(InfluxSchema.ValueField))
            .Append(" and r[").Append(StringLiteral(InfluxSchema.ChannelTag)).Append("] == ").Append(StringLiteral(channel))
            .Append(")\n");
        foreach (var statistic in Statistics)
        {
            query.Append("data |> aggregateWindow(every: ").Append(every)
                .Append(", offset: 0s, fn: ").Append(statistic)
                .Append(", createEmpty: true, timeSrc: \"_start\") |> yield(name: ")
                .Append(StringLiteral(statistic)).Append(")\n");
        }

        return query.ToString();
    }

    /// <summary>
    /// The newest value and quality of every channel: one row per channel and field, the two
    /// rows of a channel sharing their timestamp because both fields are written in one point.
    /// </summary>
    public static string Latest(string bucket) =>
        new StringBuilder()
            .Append("from(bucket: ").Append(StringLiteral(bucket)).Append(")\n")
            .Append("    |> range(start: ").Append(Time(0)).Append(", stop: ").Append(Time(LatestMs)).Append(")\n")
            .Append("    |> filter(fn: (r) => r._measurement == ").Append(StringLiteral(InfluxSchema.Measurement))
            .Append(" and (r._field == ").Append(StringLiteral(InfluxSchema.ValueField))
            .Append(" or r._field == ").Append(StringLiteral(InfluxSchema.QualityField)).Append("))\n")
            .Append("    |> last()\n")
            .ToString();

    /// <summary>A Flux string literal of <paramref name="value"/>: quotes, backslashes, line breaks and <c>${</c> escaped.</summary>
    public static string StringLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var literal = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\':
                    literal.Append(@"\\");
                    break;
                case '"':
                    literal.Append("\\\"");
                    break;
                case '\n':
                    literal.Append(@"\n");
                    break;
                case '\r':
                    literal.Append(@"\r");
                    break;
                case '\t':
                    literal.Append(@"\t");
                    break;
                case '$' when i + 1 < value.Length && value[i + 1] == '{':
                    // "${" would start string interpolation.
                    literal.Append(@"\${");
                    i++;
                    break;
                default:
                    literal.Append(c);
                    break;
            }
        }

        return literal.Append('"').ToString();
    }

    /// <summary>Refuses anything but a well-formed channel id, before it goes near a query.</summary>
    public static void RequireChannelId(string channel)
    {
        if (!ProtocolRules.IsValidChannelId(channel))
        {
            throw new ArgumentException(
                "The channel id must be a lower-case dotted id such as 'cryo.ln2.level' (at most 64 characters).", nameof(channel));
        }
    }

    private static string Duration(long ms) => ms.ToString(CultureInfo.InvariantCulture) + "ms";

    private static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
