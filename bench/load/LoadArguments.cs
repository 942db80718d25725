using System.Globalization;

namespace Clovers.Monitor.Load;

public sealed record LoadArguments(
    string Mode,
    int Publishers,
    int BatchSize,
    int Seconds,
    int InFlight,
    int Rate,
    int Runs,
    string Configuration)
{
    /// <summary>Agents publishing at once (scale, soak).</summary>
    public int Agents { get; init; } = 10;

    /// <summary>Channels per agent (scale, soak).</summary>
    public int ChannelsPerAgent { get; init; } = 100;

    /// <summary>How often each agent publishes one reading of every channel (scale, soak).</summary>
    public double Hertz { get; init; } = 10;

    /// <summary>SignalR clients subscribed to every channel (scale, soak).</summary>
    public int Clients { get; init; } = 50;

    /// <summary>Of the clients, how many parse what they receive and measure latency; the others only receive.</summary>
    public int MeasuringClients { get; init; } = 5;

    /// <summary>Length of a soak run.</summary>
    public int Minutes { get; init; } = 10;

    /// <summary>The Server's Live:PushIntervalMilliseconds, or 0 for its default.</summary>
    public int PushIntervalMilliseconds { get; init; }

    public static LoadArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string name, int fallback, int min, int max)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ArgumentException($"--{name} must be a whole number from {min} to {max}");
        }

        double Double(string name, double fallback, double min, double max)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }

            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ArgumentException($"--{name} must be a number from {min} to {max}");
        }

        return new LoadArguments(
            args.Length > 0 ? args[0] : "help",
            Int("publishers", 4, 1, 64),
            Int("batch", 500, 1, 5000),
            Int("seconds", 20, 1, 3600),
            Int("inflight", 8, 1, 1000),
            Int("rate", 1000, 1, 200_000),
            Int("runs", 5, 1, 50),
            values.GetValueOrDefault("configuration", "Release"))
        {
            Agents = Int("agents", 10, 1, 1000),
            ChannelsPerAgent = Int("channels", 100, 1, 5000),
            Hertz = Double("hz", 10, 0.1, 1000),
            Clients = Int("clients", 50, 0, 1000),
            Minutes = Int("minutes", 10, 1, 24 * 60),
            MeasuringClients = Int("measuring-clients", 5, 0, 1000),
            PushIntervalMilliseconds = Int("push-interval", 0, 0, 60_000),
        };
    }
}
