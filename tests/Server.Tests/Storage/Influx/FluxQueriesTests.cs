using Clovers.Monitor.Server.Storage.Influx;

namespace Clovers.Monitor.Server.Tests.Storage.Influx;

public sealed class FluxQueriesTests
{
    private static readonly long T0Ms = TemporaryStore.T0.ToUnixTimeMilliseconds();

    [Fact]
    public void Range_TenMinuteBucketsOverAnHour_YieldsEachStatisticOverEpochAlignedWindows()
    {
        var flux = FluxQueries.Range("clovers", "cryo.dewar.temperature", T0Ms, T0Ms + 3_600_000, 600_000);

        Assert.Equal(
            """
            data = from(bucket: "clovers")
                |> range(start: 2026-03-02T00:00:00.000Z, stop: 2026-03-02T01:00:00.000Z)
                |> filter(fn: (r) => r._measurement == "readings" and r._field == "value" and r["channel"] == "cryo.dewar.temperature")
            data |> aggregateWindow(every: 600000ms, offset: 0s, fn: min, createEmpty: true, timeSrc: "_start") |> yield(name: "min")
            data |> aggregateWindow(every: 600000ms, offset: 0s, fn: max, createEmpty: true, timeSrc: "_start") |> yield(name: "max")
            data |> aggregateWindow(every: 600000ms, offset: 0s, fn: mean, createEmpty: true, timeSrc: "_start") |> yield(name: "mean")
            data |> aggregateWindow(every: 600000ms, offset: 0s, fn: last, createEmpty: true, timeSrc: "_start") |> yield(name: "last")
            data |> aggregateWindow(every: 600000ms, offset: 0s, fn: count, createEmpty: true, timeSrc: "_start") |> yield(name: "count")

            """,
            flux);
    }

    [Fact]
    public void Latest_Bucket_TakesLastValueAndQualityOfEverySeries()
    {
        var flux = FluxQueries.Latest("clovers");

        Assert.Equal(
            """
            from(bucket: "clovers")
                |> range(start: 1970-01-01T00:00:00.000Z, stop: 2262-04-11T23:47:16.000Z)
                |> filter(fn: (r) => r._measurement == "readings" and (r._field == "value" or r._field == "quality"))
                |> last()

            """,
            flux);
    }

    [Theory]
    [InlineData("cryo.ln2\") |> drop(columns: [\"_value\"]) |> yield(name: \"x")]
    [InlineData("cryo.ln2\" or r._field != \"")]
    [InlineData("cryo.${secrets.get(key: \"token\")}")]
    [InlineData("cryo.ln2\\")]
    [InlineData("cryo.ln2\n")]
    [InlineData("Cryo.LN2")]
    [InlineData("cryo")]
    [InlineData("")]
    public void Range_HostileOrMalformedChannel_ThrowsArgumentExceptionWithoutEchoingIt(string channel)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => FluxQueries.Range("clovers", channel, T0Ms, T0Ms + 60_000, 60_000));

        Assert.DoesNotContain("drop(", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secrets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Range_WindowsNotAlignedToTheEpoch_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => FluxQueries.Range("clovers", "cryo.ln2.level", T0Ms + 1, T0Ms + 60_001, 60_000));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"back\slash", "\"back\\\\slash\"")]
    [InlineData("${x}", "\"\\${x}\"")]
    [InlineData("cost $5", "\"cost $5\"")]
    [InlineData("two\nlines\r\tend", "\"two\\nlines\\r\\tend\"")]
    public void StringLiteral_SpecialCharacters_AreEscaped(string value, string expected)
    {
        Assert.Equal(expected, FluxQueries.StringLiteral(value));
    }

    [Fact]
    public void Range_BucketWithQuote_IsEscapedInItsLiteral()
    {
        var flux = FluxQueries.Range("clo\"vers", "cryo.ln2.level", T0Ms, T0Ms + 60_000, 60_000);

        Assert.StartsWith("data = from(bucket: \"clo\\\"vers\")", flux, StringComparison.Ordinal);
    }
}
