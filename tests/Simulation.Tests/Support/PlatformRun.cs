using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Simulation.Tests.Support;

/// <summary>A simulated platform on a fake clock, stepped through simulated hours in milliseconds.</summary>
public sealed class PlatformRun
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public PlatformRun(Action<SimulatedPlatformOptions>? configure = null)
    {
        var options = new SimulatedPlatformOptions { BeamTripsPerHour = 0 };
        configure?.Invoke(options);
        Time = new FakeTimeProvider(Start);
        Platform = new SimulatedPlatform(options, Time);
    }

    public FakeTimeProvider Time { get; }

    public SimulatedPlatform Platform { get; }

    public TimeSpan Elapsed => Time.GetUtcNow() - Start;

    /// <summary>Reads now, then after every step until <paramref name="duration"/> more has passed.</summary>
    public async Task RunAsync(TimeSpan duration, TimeSpan step, Action<IReadOnlyList<Reading>> onRead)
    {
        var end = Time.GetUtcNow() + duration;
        while (true)
        {
            onRead(await Platform.ReadAsync(CancellationToken.None));
            if (Time.GetUtcNow() + step > end)
            {
                return;
            }

            Time.Advance(step);
        }
    }

    /// <summary>Every value of the given channels over the run, in time order.</summary>
    public async Task<Dictionary<string, List<Reading>>> CollectAsync(TimeSpan duration, TimeSpan step, params string[] channels)
    {
        var series = channels.ToDictionary(c => c, _ => new List<Reading>());
        await RunAsync(duration, step, readings =>
        {
            foreach (var reading in readings)
            {
                if (series.TryGetValue(reading.Channel, out var list))
                {
                    list.Add(reading);
                }
            }
        });
        return series;
    }

    public async Task<List<double>> ValuesAsync(string channel, TimeSpan duration, TimeSpan step) =>
        [.. (await CollectAsync(duration, step, channel))[channel].Select(r => r.Value)];
}
