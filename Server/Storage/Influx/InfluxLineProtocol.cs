using System.Globalization;
using System.Text;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Storage.Influx;

/// <summary>
/// One reading as one InfluxDB line-protocol point:
/// <c>readings,channel=cryo.ln2.level quality=0i,value=77.3 1772409600000</c> (timestamp in ms).
/// </summary>
public static class InfluxLineProtocol
{
    /// <summary>The line of <paramref name="reading"/>, to be written with millisecond precision.</summary>
    public static string ToLine(Reading reading)
    {
        var line = new StringBuilder(96);
        AppendLine(line, reading);
        return line.ToString();
    }

    /// <summary>Appends the line of <paramref name="reading"/> without a trailing newline.</summary>
    public static void AppendLine(StringBuilder line, Reading reading)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(reading);
        if (string.IsNullOrEmpty(reading.Channel))
        {
            throw new ArgumentException("Every reading needs a channel id.", nameof(reading));
        }

        if (!double.IsFinite(reading.Value))
        {
            throw new ArgumentException(
                $"Reading of '{reading.Channel}' at {reading.Timestamp:O} is not a finite number.", nameof(reading));
        }

        AppendEscaped(line, InfluxSchema.Measurement, escapeEquals: false);
        line.Append(',');
        AppendEscaped(line, InfluxSchema.ChannelTag, escapeEquals: true);
        line.Append('=');
        AppendEscaped(line, reading.Channel, escapeEquals: true);

        // Fields in name order, as InfluxDB.Client's PointData writes them, so both give the same bytes.
        line.Append(' ');
        AppendEscaped(line, InfluxSchema.QualityField, escapeEquals: true);
        line.Append('=');
        line.Append(((int)reading.Quality).ToString(CultureInfo.InvariantCulture));
        line.Append("i,");
        AppendEscaped(line, InfluxSchema.ValueField, escapeEquals: true);
        line.Append('=');

        // "R" is the shortest text that reads back as the same double; a float needs no suffix.
        line.Append(reading.Value.ToString("R", CultureInfo.InvariantCulture));
        line.Append(' ');
        line.Append(reading.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Measurement names escape commas and spaces; tag keys, tag values and field keys also
    /// escape equals signs. Line breaks cannot be carried at all, and a trailing backslash would
    /// escape the separator after it, so both are refused.
    /// </summary>
    public static string Escape(string name, bool escapeEquals)
    {
        var escaped = new StringBuilder(name.Length + 8);
        AppendEscaped(escaped, name, escapeEquals);
        return escaped.ToString();
    }

    private static void AppendEscaped(StringBuilder line, string name, bool escapeEquals)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("Line protocol names and tag values cannot be empty.", nameof(name));
        }

        if (name[^1] == '\\')
        {
            throw new ArgumentException($"'{name}' ends in a backslash, which line protocol cannot carry.", nameof(name));
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException("Line protocol names and tag values cannot hold control characters or line breaks.", nameof(name));
            }

            if (c is ',' or ' ' || (escapeEquals && c == '='))
            {
                line.Append('\\');
            }

            line.Append(c);
        }
    }
}
