using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Clovers.Monitor.Server.Storage.Influx;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Benchmarks.Reference;

/// <summary>
/// Readings as InfluxDB line protocol with millisecond timestamps, in the project's Influx layout:
/// <c>readings,channel=cryo.ln2.level value=81.5 1767225600000</c>. Only the value field is sent
/// (not quality), so both servers store exactly one sample per reading.
/// </summary>
internal static class LineProtocol
{
    public static ByteArrayContent Encode(IReadOnlyList<Reading> readings)
    {
        var text = new StringBuilder(readings.Count * 64);
        foreach (var reading in readings)
        {
            text.Append(InfluxSchema.Measurement).Append(',').Append(InfluxSchema.ChannelTag).Append('=');
            AppendTagValue(text, reading.Channel);
            text.Append(CultureInfo.InvariantCulture, $" {InfluxSchema.ValueField}={reading.Value:R} {reading.Timestamp.ToUnixTimeMilliseconds()}\n");
        }

        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text.ToString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>Tag values escape commas, spaces and equals signs with a backslash.</summary>
    private static void AppendTagValue(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            if (c is ',' or ' ' or '=')
            {
                text.Append('\\');
            }

            text.Append(c);
        }
    }
}
