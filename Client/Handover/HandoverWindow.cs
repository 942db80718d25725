using System.Globalization;

namespace Clovers.Monitor.Client.Handover;

/// <summary>The times typed into the Handover page: UTC, to the minute, as <c>datetime-local</c> inputs hold them.</summary>
public static class HandoverWindow
{
    /// <summary>The value of a <c>datetime-local</c> input showing <paramref name="instant"/> in UTC.</summary>
    public static DateTime ToInput(DateTimeOffset instant) => DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified);

    /// <summary>A <c>datetime-local</c> input's value read as UTC.</summary>
    public static DateTimeOffset? FromInput(DateTime? value) =>
        value is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;

    public static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Protons(double protons) => protons.ToString("0.00e0", CultureInfo.InvariantCulture);
}
