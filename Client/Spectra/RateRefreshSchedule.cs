namespace Clovers.Monitor.Client.Spectra;

/// <summary>
/// When a panel may ask for its rate again. Pushes come every second, but a rate over ten or
/// sixty minutes barely moves in one, so each panel asks at most once per <see cref="Interval"/>.
/// </summary>
public sealed class RateRefreshSchedule(int panels)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly DateTimeOffset?[] _lastClaim = new DateTimeOffset?[panels];

    /// <summary>True (and the panel's minute starts now) when the panel has not asked within the last <see cref="Interval"/>.</summary>
    public bool TryClaim(int panel, DateTimeOffset now)
    {
        if (_lastClaim[panel] is { } last && now - last < Interval)
        {
            return false;
        }

        _lastClaim[panel] = now;
        return true;
    }

    /// <summary>Every panel may ask at once: what it shows belongs to another DAQ, run or span.</summary>
    public void Reset() => Array.Clear(_lastClaim);
}
