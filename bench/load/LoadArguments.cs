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

        return new LoadArguments(
            args.Length > 0 ? args[0] : "help",
            Int("publishers", 4, 1, 64),
            Int("batch", 500, 1, 5000),
            Int("seconds", 20, 1, 600),
            Int("inflight", 8, 1, 1000),
            Int("rate", 1000, 1, 200_000),
            Int("runs", 5, 1, 50),
            values.GetValueOrDefault("configuration", "Release"));
    }
}
