using System.Globalization;

namespace Clovers.Monitor.Server.State;

/// <summary>
/// How instants are stored in <c>state.db</c>: UTC ISO 8601 text to the millisecond, fixed width,
/// so that rows read well in the sqlite3 shell and sort by time as plain text.
/// </summary>
public static class StateTimestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
