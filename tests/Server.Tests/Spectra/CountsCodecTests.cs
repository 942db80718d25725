using Clovers.Monitor.Server.Spectra;

namespace Clovers.Monitor.Server.Tests.Spectra;

public sealed class CountsCodecTests
{
    [Fact]
    public void Counts_RoundTrip_KeepsEveryValue()
    {
        long[] counts = [0, 1, 127, 128, 300, 16_383, 16_384, long.MaxValue, 42];

        Assert.Equal(counts, CountsCodec.DecodeCounts(CountsCodec.EncodeCounts(counts)));
    }

    [Fact]
    public void Counts_SmallValues_TakeOneBytePerBin()
    {
        Assert.Equal(200, CountsCodec.EncodeCounts(new long[200]).Length);
    }

    [Fact]
    public void Edges_RoundTrip_KeepsEveryValue()
    {
        double[] edges = [-0.5, 0, 0.03, 1e-9, 5.5];

        Assert.Equal(edges, CountsCodec.DecodeEdges(CountsCodec.EncodeEdges(edges)));
    }
}
