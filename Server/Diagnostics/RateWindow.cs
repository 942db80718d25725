namespace Clovers.Monitor.Server.Diagnostics;

/// <summary>Cumulative totals at one moment; rates are differences of two of these over time.</summary>
public readonly record struct RateSample(DateTimeOffset At, long Messages, long Readings, long Stored, long AllocatedBytes);

/// <summary>Per-second rates between the oldest sample of the window and now.</summary>
public readonly record struct Rates(double MessagesPerSecond, double ReadingsPerSecond, double StoredPerSecond, double AllocatedBytesPerSecond, TimeSpan Window);

/// <summary>
/// Keeps samples of cumulative totals for a sliding window (a minute) in a fixed ring, so a rate
/// "over the last minute" costs one subtraction and memory never grows.
/// </summary>
public sealed class RateWindow
{
    private readonly Lock _gate = new();
    private readonly RateSample[] _ring;
    private readonly TimeSpan _window;
    private int _next;
    private int _count;

    public RateWindow(TimeSpan window, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _window = window;
        _ring = new RateSample[capacity];
    }

    public void Add(RateSample sample)
    {
        lock (_gate)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <summary>
    /// Rates from the oldest sample still inside the window up to <paramref name="current"/>.
    /// Zero rates over a zero window when nothing older than now is known.
    /// </summary>
    public Rates Over(RateSample current)
    {
        RateSample? oldest = null;
        lock (_gate)
        {
            for (var i = 0; i < _count; i++)
            {
                var sample = _ring[(_next - _count + i + _ring.Length) % _ring.Length];
                if (current.At - sample.At <= _window && sample.At < current.At)
                {
                    oldest = sample;
                    break;
                }
            }
        }

        if (oldest is not { } from)
        {
            return new Rates(0, 0, 0, 0, TimeSpan.Zero);
        }

        var seconds = (current.At - from.At).TotalSeconds;
        return new Rates(
            (current.Messages - from.Messages) / seconds,
            (current.Readings - from.Readings) / seconds,
            (current.Stored - from.Stored) / seconds,
            (current.AllocatedBytes - from.AllocatedBytes) / seconds,
            current.At - from.At);
    }
}
