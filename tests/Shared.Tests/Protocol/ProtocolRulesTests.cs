using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Shared.Tests.Protocol;

public sealed class ProtocolRulesTests
{
    [Theory]
    [InlineData("cryo.ln2.level")]
    [InlineData("pmt.sd1a.hv.read")]
    [InlineData("agent.platform-1.uptime")]
    [InlineData("a.b")]
    public void IsValidChannelId_WellFormed_IsTrue(string id) => Assert.True(ProtocolRules.IsValidChannelId(id));

    [Theory]
    [InlineData("")]
    [InlineData("single")]
    [InlineData("Cryo.ln2")]
    [InlineData("cryo..ln2")]
    [InlineData("cryo.ln2.")]
    [InlineData("cryo ln2.level")]
    [InlineData("crýo.ln2")]
    [InlineData("cryo.ln2\n")]
    [InlineData("a.b.c.d.e.f.g.h.i")]
    [InlineData(null)]
    public void IsValidChannelId_Malformed_IsFalse(string? id) => Assert.False(ProtocolRules.IsValidChannelId(id));

    [Fact]
    public void IsValidChannelId_LongerThan64_IsFalse() =>
        Assert.False(ProtocolRules.IsValidChannelId("a." + new string('b', 63)));

    [Theory]
    [InlineData("platform-1", true)]
    [InlineData("daq_py", true)]
    [InlineData("-leading", false)]
    [InlineData("UPPER", false)]
    [InlineData("a/b", false)]
    [InlineData("agent\n", false)]
    [InlineData("+", false)]
    public void IsValidSourceId_FollowsThePattern(string id, bool valid) => Assert.Equal(valid, ProtocolRules.IsValidSourceId(id));
}
