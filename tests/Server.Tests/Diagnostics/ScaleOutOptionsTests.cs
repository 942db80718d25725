using Clovers.Monitor.Server.Mqtt;

namespace Clovers.Monitor.Server.Tests.Diagnostics;

public sealed class ScaleOutOptionsTests
{
    private static MqttOptions External(string? group) => new() { Mode = MqttModes.External, SharedSubscriptionGroup = group };

    [Fact]
    public void SubscriptionFilter_GroupSet_SharedSubscriptionOfTheFilter()
    {
        Assert.Equal("$share/servers/clovers/v1/agents/+/readings", External("servers").SubscriptionFilter("clovers/v1/agents/+/readings"));
    }

    [Fact]
    public void SubscriptionFilter_NoGroup_TheFilterItself()
    {
        Assert.Equal("clovers/v1/agents/+/readings", External(null).SubscriptionFilter("clovers/v1/agents/+/readings"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a+")]
    [InlineData("#")]
    public void Validate_GroupWithTopicCharacters_Refused(string group)
    {
        var result = new MqttOptionsValidator().Validate(null, External(group));

        Assert.True(result.Failed);
        Assert.Contains("SharedSubscriptionGroup", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GroupWithEmbeddedBroker_Refused()
    {
        var result = new MqttOptionsValidator().Validate(null, new MqttOptions { Mode = MqttModes.Embedded, SharedSubscriptionGroup = "servers" });

        Assert.True(result.Failed);
        Assert.Contains("External", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GroupWithExternalBroker_Accepted()
    {
        Assert.True(new MqttOptionsValidator().Validate(null, External("servers")).Succeeded);
    }
}
