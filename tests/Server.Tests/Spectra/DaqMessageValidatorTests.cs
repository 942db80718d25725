using System.Buffers;
using System.Text;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class DaqMessageValidatorTests
{
    private static readonly DateTimeOffset Now = SpectraSamples.RunStart.AddMinutes(5);

    private static string HistogramsTopic => Topics.DaqHistograms(SpectraSamples.DaqId);

    [Fact]
    public void Validate_WellFormedSet_Accepts()
    {
        var parse = Validate(HistogramsTopic, SpectraSamples.Json(SpectraSamples.Set(1, 1, SpectraSamples.AllNpe(3))));

        Assert.False(parse.Rejected);
        Assert.Equal(8, parse.Histograms!.Histograms.Count);
    }

    [Fact]
    public void Validate_TopicIdDiffersFromPayload_RefusesSourceIdMismatch()
    {
        var parse = Validate(Topics.DaqHistograms("other-daq"), SpectraSamples.Json(SpectraSamples.Set(1, 1, SpectraSamples.AllNpe(3))));

        Assert.Equal(RejectionReasons.SourceIdMismatch, parse.RejectionReason);
    }

    [Fact]
    public void Validate_SchemaTwo_RefusesSchemaVersion()
    {
        var parse = Validate(HistogramsTopic, SpectraSamples.Json(SpectraSamples.Set(1, 1, SpectraSamples.AllNpe(3)) with { Schema = 2 }));

        Assert.Equal(RejectionReasons.SchemaVersion, parse.RejectionReason);
    }

    [Fact]
    public void Validate_NotJson_RefusesMalformedJson()
    {
        Assert.Equal(RejectionReasons.MalformedJson, Validate(HistogramsTopic, "{ not json").RejectionReason);
    }

    [Fact]
    public void Validate_UnknownSuffix_RefusesUnknownTopic()
    {
        Assert.Equal(RejectionReasons.UnknownTopic, Validate(Topics.DaqPrefix + "daq-test/waveforms", "{}").RejectionReason);
    }

    [Fact]
    public void Validate_BadIdInTopic_RefusesBadSourceId()
    {
        Assert.Equal(RejectionReasons.BadSourceId, Validate(Topics.DaqHistograms("Bad DAQ"), "{}").RejectionReason);
    }

    [Fact]
    public void Validate_NegativeCount_RefusesBadHistogram()
    {
        var histogram = SpectraSamples.Npe(1, DaqWindow.Signal, [1, -1, 2]);

        Assert.Equal(RejectionReasons.BadHistogram, Validate(HistogramsTopic, SpectraSamples.Json(SpectraSamples.Set(1, 1, histogram))).RejectionReason);
    }

    [Fact]
    public void Validate_EdgesNotIncreasing_RefusesBadHistogram()
    {
        var histogram = SpectraSamples.Npe(1, DaqWindow.Signal, [1, 2, 3]) with { Edges = [0, 1, 1, 2] };

        Assert.Equal(RejectionReasons.BadHistogram, DaqMessageValidator.DescribeProblem(histogram)?.Reason);
    }

    [Fact]
    public void Validate_NonFiniteEdge_RefusesBadHistogram()
    {
        var histogram = SpectraSamples.Npe(1, DaqWindow.Signal, [1, 2, 3]) with { Edges = [0, 1, double.NaN, 3] };

        Assert.Equal(RejectionReasons.BadHistogram, DaqMessageValidator.DescribeProblem(histogram)?.Reason);
    }

    [Fact]
    public void Validate_EdgesNotOneMoreThanCounts_RefusesBadHistogram()
    {
        var histogram = SpectraSamples.Npe(1, DaqWindow.Signal, [1, 2, 3]) with { Edges = [0, 1, 2] };

        Assert.Equal(RejectionReasons.BadHistogram, DaqMessageValidator.DescribeProblem(histogram)?.Reason);
    }

    [Fact]
    public void Validate_TooManyBins_RefusesTooManyBins()
    {
        var histogram = SpectraSamples.Npe(1, DaqWindow.Signal, new long[ProtocolRules.MaxHistogramBins + 1]);

        Assert.Equal(RejectionReasons.TooManyBins, DaqMessageValidator.DescribeProblem(histogram)?.Reason);
    }

    [Fact]
    public void Validate_TooManyHistograms_RefusesTooManyHistograms()
    {
        var many = Enumerable.Range(0, ProtocolRules.MaxHistogramsPerMessage + 1).Select(_ => SpectraSamples.Npe(1, DaqWindow.Signal, [1])).ToArray();

        Assert.Equal(RejectionReasons.TooManyHistograms, Validate(HistogramsTopic, SpectraSamples.Json(SpectraSamples.Set(1, 1, many))).RejectionReason);
    }

    [Theory]
    [InlineData("sd2.signal", 1, "signal", null)]
    [InlineData("sd1.signal", 1, "pretrace", null)]
    [InlineData("sd1.signal", 5, "signal", null)]
    [InlineData("sd1.signal", 1, "signal", "sd1a")]
    public void Validate_NpeKeyInconsistentWithFields_RefusesKeyMismatch(string key, int subDetector, string window, string? pmt)
    {
        var histogram = new Histogram(key, HistogramKind.Npe, subDetector, window == "signal" ? DaqWindow.Signal : DaqWindow.Pretrace, pmt, HistogramKeys.NpeUnit, [0, 1], [1]);

        Assert.Equal(RejectionReasons.HistogramKeyMismatch, DaqMessageValidator.DescribeProblem(histogram)?.Reason);
    }

    [Theory]
    [InlineData("sd1b.spe", "sd1a", "pC", null)]
    [InlineData("sd1a.spe", "sd1a", "NPE", null)]
    [InlineData("sd1a.spe", "sd1a", "pC", 2)]
    [InlineData("sd5a.spe", "sd5a", "pC", null)]
    public void Validate_SpeKeyInconsistentWithFields_RefusesKeyMismatch(string key, string pmt, string unit, int? subDetector)
    {
        var histogram = new Histogram(key, HistogramKind.SpeCharge, subDetector, null, pmt, unit, [0, 1], [1]);

        Assert.Equal(RejectionReasons.HistogramKeyMismatch, DaqMessageValidator.DescribeProblem(histogram)?.Reason);
    }

    [Fact]
    public void Validate_SameKeyTwice_RefusesBadHistogram()
    {
        var histogram = SpectraSamples.Npe(1, DaqWindow.Signal, [1]);

        Assert.Equal(RejectionReasons.BadHistogram, Validate(HistogramsTopic, SpectraSamples.Json(SpectraSamples.Set(1, 1, histogram, histogram))).RejectionReason);
    }

    [Fact]
    public void Validate_StatusWithLivetimeAboveOne_RefusesBadDaqStatus()
    {
        var status = SpectraSamples.Status(Now) with { LivetimeFraction = 98.7 };

        Assert.Equal(RejectionReasons.BadDaqStatus, Validate(Topics.DaqStatus(SpectraSamples.DaqId), SpectraSamples.Json(status)).RejectionReason);
    }

    [Fact]
    public void Validate_StatusFromTheFuture_RefusesTimestampInFuture()
    {
        var status = SpectraSamples.Status(Now.AddMinutes(10));

        Assert.Equal(RejectionReasons.TimestampInFuture, Validate(Topics.DaqStatus(SpectraSamples.DaqId), SpectraSamples.Json(status)).RejectionReason);
    }

    [Fact]
    public void Validate_EmptyStatus_MeansOffline()
    {
        var parse = DaqMessageValidator.Validate(Topics.DaqStatus(SpectraSamples.DaqId), ReadOnlySequence<byte>.Empty, Now);

        Assert.Equal(DaqRunState.Offline, parse.Status?.State);
    }

    private static DaqParse Validate(string topic, string payload) =>
        DaqMessageValidator.Validate(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), Now);
}
