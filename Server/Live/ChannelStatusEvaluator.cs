using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Live;

/// <summary>
/// The colour of one channel from its bands, its latest value and its age. An alarming last
/// value outranks staleness: a shifter must see that the last thing known was bad.
/// </summary>
public static class ChannelStatusEvaluator
{
    public static ChannelStatus Evaluate(
        ChannelDescriptor descriptor,
        double? value,
        Quality? quality,
        DateTimeOffset? timestamp,
        DateTimeOffset now,
        TimeSpan staleAfter)
    {
        if (value is not { } v || timestamp is not { } ts)
        {
            return ChannelStatus.Unknown;
        }

        if (descriptor.Alarm is { } alarm && !alarm.Contains(v))
        {
            return ChannelStatus.Alarm;
        }

        if (now - ts > staleAfter)
        {
            return ChannelStatus.Stale;
        }

        if (descriptor.Warn is { } warn && !warn.Contains(v))
        {
            return ChannelStatus.Warn;
        }

        return quality == Quality.Good ? ChannelStatus.Ok : ChannelStatus.Warn;
    }

    /// <summary>How long a channel may stay silent before it is stale.</summary>
    public static TimeSpan StaleAfter(ChannelDescriptor descriptor, LiveOptions options) =>
        TimeSpan.FromSeconds(Math.Max(options.MinStaleSeconds, descriptor.PeriodSeconds * options.StaleAfterPeriods));
}
