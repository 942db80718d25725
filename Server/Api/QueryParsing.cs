using System.Globalization;

namespace Clovers.Monitor.Server.Api;

/// <summary>Parses query parameters by hand, so that every bad value earns a clear 400, never a 500.</summary>
public static class QueryParsing
{
    public static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch;

    public static readonly DateTimeOffset LatestTime = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset? ParseTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            // Far ends of the calendar would overflow the range arithmetic (to - default span).
            if (value >= EarliestTime && value <= LatestTime)
            {
                return value;
            }

            errors[name] = [$"'{Clip(text)}' is outside {EarliestTime:yyyy-MM-dd} to {LatestTime:yyyy-MM-dd}."];
            return null;
        }

        errors[name] = [$"'{Clip(text)}' is not an ISO-8601 time such as 2026-11-26T20:00:00Z."];
        return null;
    }

    public static int? ParseInt(string? text, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"'{Clip(text)}' is not a whole number from {min} to {max}."];
        return null;
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
