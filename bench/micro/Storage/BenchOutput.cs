using System.Globalization;

namespace Clovers.Monitor.Benchmarks.Storage;

/// <summary>Figures printed the same way whatever the machine's culture.</summary>
internal static class BenchOutput
{
    public static void Print(TextWriter output, FormattableString line) => output.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    /// <summary>Cores and load average, so a figure can be read against how busy the machine was.</summary>
    public static void PrintMachine(TextWriter output)
    {
        const string LoadAverageFile = "/proc/loadavg";
        var load = File.Exists(LoadAverageFile) ? File.ReadAllText(LoadAverageFile).Trim() : "unknown";
        Print(output, $"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load average {load}");
    }

    /// <summary>The whole UTC hour at or before <paramref name="time"/>, so ranges align with every bucket width.</summary>
    public static DateTimeOffset HourFloor(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
