using Clovers.Monitor.Simulation.Agent;

namespace Clovers.Monitor.Simulation.Tests.Agent;

public sealed class AgentOptionsValidatorTests
{
    private static readonly AgentOptionsValidator s_validator = new(o => ["cryo.ln2.level", $"agent.{o.AgentId}.uptime"]);

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = s_validator.Validate(null, new AgentOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_ManyProblems_ListsEveryOne()
    {
        var options = new AgentOptions
        {
            AgentId = "Platform 1",
            BrokerHost = " ",
            BrokerPort = 70000,
            SampleIntervalSeconds = 0,
            HeartbeatSeconds = -1,
            ReconnectMinSeconds = 60,
            ReconnectMaxSeconds = 30,
            OutboxCapacity = 0,
            Password = "secret",
            Channels = ["Bad Id", "cryo.nothing"],
        };

        var failures = s_validator.Validate(null, options).Failures!.ToList();

        string[] expected =
        [
            "AgentId", "BrokerHost", "BrokerPort", "SampleIntervalSeconds", "HeartbeatSeconds",
            "ReconnectMinSeconds (60) is greater", "OutboxCapacity", "Username is empty", "malformed", "does not offer",
        ];
        Assert.All(expected, fragment => Assert.Contains(failures, f => f.Contains(fragment, StringComparison.Ordinal)));
        Assert.DoesNotContain(failures, f => f.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UnknownChannels_NamesEachUnknownId()
    {
        var options = new AgentOptions { Channels = ["cryo.ln2.level", "cryo.foo", "beam.bar", "agent.platform-1.uptime"] };

        var failure = Assert.Single(s_validator.Validate(null, options).Failures!);

        Assert.Contains("cryo.foo", failure, StringComparison.Ordinal);
        Assert.Contains("beam.bar", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("cryo.ln2.level", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void Validate_PortOutsideRange_Fails(int port)
    {
        var result = s_validator.Validate(null, new AgentOptions { BrokerPort = port });

        Assert.Contains("BrokerPort", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SamplingSlowerThanHeartbeat_Fails()
    {
        var result = s_validator.Validate(null, new AgentOptions { SampleIntervalSeconds = 10, HeartbeatSeconds = 5 });

        Assert.Contains("heartbeat", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UserWithPassword_Succeeds()
    {
        var result = s_validator.Validate(null, new AgentOptions { Username = "agent", Password = "secret" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_WithoutChannelCatalogue_ChecksOnlySyntax()
    {
        var result = new AgentOptionsValidator().Validate(null, new AgentOptions { Channels = ["cryo.anything"] });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
