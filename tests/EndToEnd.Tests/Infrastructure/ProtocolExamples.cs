using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>One example payload of docs/protocol.md, with the topic it is published on.</summary>
/// <param name="Topic">The MQTT topic named by the marker.</param>
/// <param name="Retain">Whether the example is published retained.</param>
/// <param name="ExpectRejected">True for an example of a message the server must refuse.</param>
/// <param name="Json">The fenced JSON exactly as the document shows it.</param>
/// <param name="Line">1-based line of the marker, for messages.</param>
public sealed record ProtocolExample(string Topic, bool Retain, bool ExpectRejected, string Json, int Line)
{
    /// <summary>Channel ids the example declares (status) or reports (readings).</summary>
    public IReadOnlyList<string> DeclaredChannels => Collect("channels", "id");

    public IReadOnlyList<string> ReportedChannels => Collect("readings", "channel");

    /// <summary>UTC timestamps written out in the example, such as <c>"2026-11-26T20:15:01.000Z"</c>.</summary>
    public IReadOnlyList<DateTimeOffset> LiteralTimestamps => ProtocolExamples.LiteralTimestamps(Json);

    /// <summary>
    /// The payload to publish: the document's text, byte for byte, but for its times. A document's
    /// fixed timestamps grow older than the server accepts (31 days), so every literal UTC timestamp
    /// is moved by <paramref name="shift"/> (the same for all examples keeps their order and spacing),
    /// and every <c>{{now}}</c> placeholder (optionally offset, like <c>{{now-2s}}</c>) becomes
    /// <paramref name="now"/>. Both are written as ISO 8601 UTC with milliseconds.
    /// </summary>
    public string Render(DateTimeOffset now, TimeSpan shift) =>
        ProtocolExamples.ReplaceNow(ProtocolExamples.ShiftLiteralTimestamps(Json, shift), now);

    private string[] Collect(string arrayName, string propertyName)
    {
        using var document = JsonDocument.Parse(Render(DateTimeOffset.UnixEpoch, TimeSpan.Zero));
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty(arrayName, out var array)
            || array.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return array.EnumerateArray()
            .Where(item => item.ValueKind == JsonValueKind.Object)
            .Select(item => item.TryGetProperty(propertyName, out var id) ? id.GetString() : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}

/// <summary>
/// Finds the example payloads in docs/protocol.md: each is a <c>```json</c> fence right after a line
/// <c>&lt;!-- mqtt-example topic="…" retain="true|false" [expect="rejected"] --&gt;</c>.
/// </summary>
public static partial class ProtocolExamples
{
    public static IReadOnlyList<ProtocolExample> Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var examples = new List<ProtocolExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = MarkerRegex().Match(lines[i]);
            if (!marker.Success)
            {
                continue;
            }

            var attributes = AttributeRegex().Matches(marker.Groups["attributes"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            if (!attributes.TryGetValue("topic", out var topic) || topic.Length == 0)
            {
                throw new FormatException($"Line {i + 1}: an mqtt-example marker without a topic.");
            }

            if (i + 1 >= lines.Length || lines[i + 1].Trim() != "```json")
            {
                throw new FormatException($"Line {i + 1}: an mqtt-example marker not followed by a ```json fence.");
            }

            var end = Array.FindIndex(lines, i + 2, line => line.Trim() == "```");
            if (end < 0)
            {
                throw new FormatException($"Line {i + 2}: a ```json fence that never closes.");
            }

            examples.Add(new ProtocolExample(
                topic,
                attributes.TryGetValue("retain", out var retain) && retain == "true",
                attributes.TryGetValue("expect", out var expect) && expect == "rejected",
                string.Join('\n', lines[(i + 2)..end]),
                i + 1));
            i = end;
        }

        return examples;
    }

    /// <summary>
    /// How far to move the literal timestamps of all examples so that the latest of them is
    /// <paramref name="now"/>; zero when they have none.
    /// </summary>
    public static TimeSpan ShiftToNow(IEnumerable<ProtocolExample> examples, DateTimeOffset now)
    {
        var literal = examples.SelectMany(e => e.LiteralTimestamps).ToArray();
        return literal.Length == 0 ? TimeSpan.Zero : now - literal.Max();
    }

    internal static DateTimeOffset[] LiteralTimestamps(string json) =>
        TimestampRegex().Matches(json).Select(m => ParseTimestamp(m.Groups["time"].Value)).ToArray();

    internal static string ShiftLiteralTimestamps(string json, TimeSpan shift) =>
        TimestampRegex().Replace(json, m => "\"" + Format(ParseTimestamp(m.Groups["time"].Value) + shift) + "\"");

    internal static string ReplaceNow(string json, DateTimeOffset now) =>
        NowRegex().Replace(json, match =>
        {
            var time = now;
            if (match.Groups["sign"].Success)
            {
                var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
                var offset = match.Groups["unit"].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    _ => TimeSpan.FromMinutes(amount),
                };
                time = match.Groups["sign"].Value == "-" ? now - offset : now + offset;
            }

            return Format(time);
        });

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    [GeneratedRegex("^\\s*<!--\\s*mqtt-example\\s+(?<attributes>.*?)\\s*-->\\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerRegex();

    [GeneratedRegex("(?<name>[a-z]+)=\"(?<value>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeRegex();

    [GeneratedRegex("\"(?<time>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,7})?Z)\"", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampRegex();

    [GeneratedRegex("\\{\\{now(?:(?<sign>[+-])(?<amount>[0-9]+)(?<unit>ms|s|m))?\\}\\}", RegexOptions.CultureInvariant)]
    private static partial Regex NowRegex();
}
