using Clovers.Monitor.Client.Diagnostics;

namespace Clovers.Monitor.Client.Tests.Diagnostics;

public sealed class DiagnosticsFormatTests
{
    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(150.0 * 1024 * 1024, "150 MiB")]
    [InlineData(3.2 * 1024 * 1024 * 1024, "3.2 GiB")]
    public void Bytes_Sizes_InBinaryUnits(double bytes, string expected) => Assert.Equal(expected, DiagnosticsFormat.Bytes(bytes));

    [Theory]
    [InlineData(0.24, "0.2/s")]
    [InlineData(12, "12/s")]
    [InlineData(100_000.4, "100,000/s")]
    public void Rate_SmallAndLarge_ReadableDigits(double perSecond, string expected) => Assert.Equal(expected, DiagnosticsFormat.Rate(perSecond));

    [Theory]
    [InlineData(42, "42 s")]
    [InlineData(125, "2 min 5 s")]
    [InlineData(3 * 3600 + 61, "3 h 1 min")]
    [InlineData(26 * 3600, "1 d 2 h")]
    public void Uptime_LargestTwoUnits(double seconds, string expected) => Assert.Equal(expected, DiagnosticsFormat.Uptime(seconds));
}
