using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// The default disk budget of the durable outbox: a week of the agent's nominal traffic, from its
/// channels and their periods. For the CLOVERS platform (28 channels every second, 16 every 10 s,
/// plus the 2 outbox channels: 31.6 readings and one batch a second) that is about 19.1 million
/// readings, ≈ 400 MiB at the measured size of a Brotli-compressed batch (a full batch of all 44
/// platform channels takes about 765 bytes).
/// </summary>
public static class OutboxBudget
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(7);

    /// <summary>
    /// Stored bytes per reading and per batch, measured on platform batches compressed as the
    /// outbox stores them (<c>OutboxBudgetTests</c> checks the estimate stays above the real size).
    /// </summary>
    public const double BytesPerReading = 18;

    public const double BytesPerBatch = 120;

    /// <summary>Readings a second: each channel is read once per period, but not more often than the agent samples.</summary>
    public static double ReadingsPerSecond(IEnumerable<ChannelDescriptor> channels, double sampleIntervalSeconds)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return channels.Sum(c => 1 / Math.Max(c.PeriodSeconds, sampleIntervalSeconds));
    }

    public static long NominalBytes(IEnumerable<ChannelDescriptor> channels, double sampleIntervalSeconds, TimeSpan span)
    {
        var seconds = span.TotalSeconds;
        var perSecond = (ReadingsPerSecond(channels, sampleIntervalSeconds) * BytesPerReading) + (BytesPerBatch / sampleIntervalSeconds);
        return (long)Math.Ceiling(seconds * perSecond);
    }
}
