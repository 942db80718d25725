using System.Globalization;

namespace Clovers.Monitor.Client.Diagnostics;

/// <summary>How the Diagnostics page writes its figures: binary sizes, rates, uptime.</summary>
public static class DiagnosticsFormat
{
    private static readonly string[] s_byteUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Bytes(double bytes)
    {
        var unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < s_byteUnits.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.#} {s_byteUnits[unit]}");
    }

    public static string Rate(double perSecond) =>
        perSecond >= 100
            ? perSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s"
            : perSecond.ToString("0.#", CultureInfo.InvariantCulture) + "/s";

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(double ms) => ms.ToString(ms < 10 ? "0.0" : "N0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Largest two units only: "3 d 4 h", "5 h 12 min", "42 s".</summary>
    public static string Uptime(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return span switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours} h {span.Minutes} min"),
            { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds} s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds} s"),
        };
    }
}
