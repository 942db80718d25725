using Clovers.Monitor.Server.Mqtt.Security;

namespace Clovers.Monitor.Server.Tests.Mqtt;

public sealed class MqttAclTests
{
    [Theory]
    [InlineData("clovers/v1/#", "clovers/v1/agents/+/status", true)]
    [InlineData("clovers/v1/#", "clovers/#", false)]
    [InlineData("clovers/v1/agents/+/commands", "clovers/v1/agents/platform-1/commands", true)]
    [InlineData("clovers/v1/agents/+/commands", "clovers/v1/agents/+/commands", true)]
    [InlineData("clovers/v1/agents/platform-1/commands", "clovers/v1/agents/+/commands", false)]
    [InlineData("clovers/v1/agents/platform-1/commands", "clovers/v1/agents/platform-1/#", false)]
    [InlineData("clovers/v1/agents/platform-1/commands", "clovers/v1/agents/platform-1/commands/x", false)]
    [InlineData("clovers/v1/daq/daq-1/#", "clovers/v1/daq/daq-1/histograms", true)]
    public void Covers_PatternAndFilter_TellsWhetherEveryMatchIsGranted(string pattern, string filter, bool expected) =>
        Assert.Equal(expected, MqttAcl.Covers(pattern, filter));

    [Fact]
    public void Allows_UsernameWithWildcard_CannotWidenItsTopics() =>
        Assert.False(MqttAcl.Allows(MqttRoles.Agent, "+", MqttAccess.Publish, "clovers/v1/agents/+/readings"));

    [Fact]
    public void Allows_UnknownRole_GrantsNothing() =>
        Assert.False(MqttAcl.Allows("admin", "x", MqttAccess.Subscribe, "clovers/v1/#"));
}
