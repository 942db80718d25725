using System.Globalization;
using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.Client.Formatting;

/// <summary>How numbers, ages and statuses read on screen: short, invariant, and the same everywhere.</summary>
public static class DisplayFormat
{
    public const string Missing = "—";

    /// <summary>About four significant digits, no exponent for the magnitudes a detector shows.</summary>
    public static string Value(double? value)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            return Missing;
        }

        var magnitude = Math.Abs(v);
        var format = magnitude switch
        {
            0 => "0",
            >= 1000 => "0",
            >= 100 => "0.0",
            >= 1 => "0.00",
            >= 0.001 => "0.####",
            _ => "0.###E+0",
        };
        return v.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string ValueWithUnit(double? value, string unit) =>
        value is null || string.IsNullOrEmpty(unit) ? Value(value) : $"{Value(value)} {unit}";

    /// <summary>A moment to the minute in UTC, as the logbook, tokens and gain references show it.</summary>
    public static string UtcMinute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Age(DateTimeOffset? timestamp, DateTimeOffset now)
    {
        if (timestamp is not { } t)
        {
            return Missing;
        }

        var age = now - t;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalSeconds switch
        {
            < 60 => FormattableString.Invariant($"{(int)age.TotalSeconds} s"),
            < 3600 => FormattableString.Invariant($"{(int)age.TotalMinutes} min"),
            < 172800 => FormattableString.Invariant($"{(int)age.TotalHours} h"),
            _ => FormattableString.Invariant($"{(int)age.TotalDays} d"),
        };
    }

    /// <summary>The lower-case word used in <c>data-status</c> attributes and CSS classes.</summary>
    public static string StatusKey(ChannelStatus status) => status switch
    {
        ChannelStatus.Ok => "ok",
        ChannelStatus.Unknown => "unknown",
        ChannelStatus.Warn => "warn",
        ChannelStatus.Stale => "stale",
        ChannelStatus.Alarm => "alarm",
        _ => "unknown",
    };

    public static string StatusLabel(ChannelStatus status) => status switch
    {
        ChannelStatus.Ok => "OK",
        ChannelStatus.Unknown => "No data",
        ChannelStatus.Warn => "Warning",
        ChannelStatus.Stale => "Stale",
        ChannelStatus.Alarm => "ALARM",
        _ => "No data",
    };

    public static string ConnectionKey(Live.LiveConnectionState state) => state switch
    {
        Live.LiveConnectionState.Connecting => "connecting",
        Live.LiveConnectionState.Connected => "connected",
        Live.LiveConnectionState.Reconnecting => "reconnecting",
        _ => "disconnected",
    };

    public static string ConnectionLabel(Live.LiveConnectionState state) => state switch
    {
        Live.LiveConnectionState.Connecting => "Connecting…",
        Live.LiveConnectionState.Connected => "Live",
        Live.LiveConnectionState.Reconnecting => "Reconnecting…",
        _ => "Disconnected",
    };
}
