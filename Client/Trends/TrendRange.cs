namespace Clovers.Monitor.Client.Trends;

/// <summary>A time window the Trends page offers; <see cref="Key"/> is what links and test ids use.</summary>
public sealed record TrendRange(string Key, string Label, TimeSpan Span)
{
    public static readonly TrendRange FifteenMinutes = new("15m", "15 min", TimeSpan.FromMinutes(15));
    public static readonly TrendRange OneHour = new("1h", "1 h", TimeSpan.FromHours(1));
    public static readonly TrendRange SixHours = new("6h", "6 h", TimeSpan.FromHours(6));
    public static readonly TrendRange OneDay = new("24h", "24 h", TimeSpan.FromHours(24));
    public static readonly TrendRange SevenDays = new("7d", "7 d", TimeSpan.FromDays(7));
    public static readonly TrendRange ThirtyDays = new("30d", "30 d", TimeSpan.FromDays(30));

    public static IReadOnlyList<TrendRange> All { get; } = [FifteenMinutes, OneHour, SixHours, OneDay, SevenDays, ThirtyDays];

    public static TrendRange Default => OneHour;

    public static TrendRange? Find(string? key) =>
        All.FirstOrDefault(range => string.Equals(range.Key, key, StringComparison.OrdinalIgnoreCase));
}
