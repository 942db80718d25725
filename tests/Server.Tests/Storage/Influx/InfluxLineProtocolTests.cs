using Clovers.Monitor.Server.Storage.Influx;
using Clovers.Monitor.Shared.Protocol;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace Clovers.Monitor.Server.Tests.Storage.Influx;

public sealed class InfluxLineProtocolTests
{
    private static readonly DateTimeOffset T0 = TemporaryStore.T0;

    [Fact]
    public void ToLine_Reading_WritesMeasurementChannelTagValueQualityAndMilliseconds()
    {
        var line = InfluxLineProtocol.ToLine(new Reading("cryo.ln2.level", T0.AddMilliseconds(5), 77.3, Quality.Uncertain));

        Assert.Equal("readings,channel=cryo.ln2.level quality=1i,value=77.3 1772409600005", line);
    }

    [Theory]
    [InlineData(Quality.Good, "quality=0i")]
    [InlineData(Quality.Uncertain, "quality=1i")]
    [InlineData(Quality.Bad, "quality=2i")]
    public void ToLine_Quality_IsAnIntegerField(Quality quality, string expected)
    {
        var line = InfluxLineProtocol.ToLine(new Reading("cryo.ln2.level", T0, 1, quality));

        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLine_WholeNumberValue_StaysAFloatField()
    {
        var line = InfluxLineProtocol.ToLine(new Reading("cryo.ln2.level", T0, 80));

        Assert.Contains("value=80 ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLine_TinyAndHugeValues_RoundTripExactly()
    {
        var tiny = InfluxLineProtocol.ToLine(new Reading("pmt.1.current", T0, 1.2345678901234567e-12));
        var huge = InfluxLineProtocol.ToLine(new Reading("pmt.1.current", T0, -3.5e+300));

        Assert.Contains("value=1.2345678901234567E-12 ", tiny, StringComparison.Ordinal);
        Assert.Contains("value=-3.5E+300 ", huge, StringComparison.Ordinal);
    }

    [Fact]
    public void ToLine_ChannelWithCommaSpaceAndEquals_EscapesEachInTheTagValue()
    {
        var line = InfluxLineProtocol.ToLine(new Reading("a,b c=d", T0, 1));

        Assert.StartsWith(@"readings,channel=a\,b\ c\=d quality=0i", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_MeasurementName_EscapesCommaAndSpaceButNotEquals()
    {
        Assert.Equal(@"a\,b\ c=d", InfluxLineProtocol.Escape("a,b c=d", escapeEquals: false));
    }

    [Theory]
    [InlineData("cryo.ln2.level\nfake value=1")]
    [InlineData("cryo.ln2\r")]
    [InlineData("cryo\t.ln2")]
    [InlineData("cryo.ln2\\")]
    [InlineData("")]
    public void ToLine_ChannelLineProtocolCannotCarry_ThrowsArgumentException(string channel)
    {
        Assert.ThrowsAny<ArgumentException>(() => InfluxLineProtocol.ToLine(new Reading(channel, T0, 1)));
    }

    [Fact]
    public void ToLine_NonFiniteValue_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => InfluxLineProtocol.ToLine(new Reading("cryo.ln2.level", T0, double.PositiveInfinity)));
    }

    [Theory]
    [InlineData("cryo.ln2.level", 77.3)]
    [InlineData("a,b c=d", -0.001)]
    [InlineData("hv.pmt_1.v-set", 1e-9)]
    public void ToLine_AnyReading_EqualsTheClientLibrarysPoint(string channel, double value)
    {
        var reading = new Reading(channel, T0.AddMilliseconds(123), value, Quality.Bad);
        var point = PointData.Measurement(InfluxSchema.Measurement)
            .Tag(InfluxSchema.ChannelTag, channel)
            .Field(InfluxSchema.ValueField, value)
            .Field(InfluxSchema.QualityField, 2L)
            .Timestamp(reading.Timestamp.ToUnixTimeMilliseconds(), WritePrecision.Ms);

        Assert.Equal(point.ToLineProtocol(), InfluxLineProtocol.ToLine(reading));
    }
}
