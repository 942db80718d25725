using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Shared.Tests.Protocol;

public sealed class TopicsTests
{
    [Fact]
    public void TryParseAgentTopic_ReadingsTopic_ReturnsAgentAndSuffix()
    {
        Assert.True(Topics.TryParseAgentTopic(Topics.AgentReadings("platform-1"), out var agent, out var suffix));
        Assert.Equal("platform-1", agent);
        Assert.Equal(Topics.ReadingsSuffix, suffix);
    }

    [Theory]
    [InlineData("clovers/v1/agents/a/b/readings")]
    [InlineData("clovers/v1/agents//readings")]
    [InlineData("clovers/v1/agents/a/")]
    [InlineData("clovers/v2/agents/a/readings")]
    [InlineData("other")]
    public void TryParseAgentTopic_NotAnAgentTopic_ReturnsFalse(string topic) =>
        Assert.False(Topics.TryParseAgentTopic(topic, out _, out _));

    [Fact]
    public void Filters_MatchTheTopicsTheyName()
    {
        Assert.Equal("clovers/v1/agents/+/readings", Topics.AllAgentReadings);
        Assert.Equal("clovers/v1/agents/+/status", Topics.AllAgentStatus);
    }
}
