using Clovers.Monitor.Simulation.Mqtt;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Simulation.Tests.Mqtt;

public sealed class MqttPublishingTests
{
    private const int Samples = 200;

    [Fact]
    public void Backoff_FirstAttempt_StaysBetweenMinimumAndItsJitter()
    {
        for (var i = 0; i < Samples; i++)
        {
            var delay = MqttPublishing.Backoff(1, 1, 30).TotalSeconds;
            Assert.InRange(delay, 1, 1.2);
        }
    }

    [Fact]
    public void Backoff_FifthAttempt_DoublesFourTimesWithinJitter()
    {
        for (var i = 0; i < Samples; i++)
        {
            var delay = MqttPublishing.Backoff(5, 1, 30).TotalSeconds;
            Assert.InRange(delay, 16 * 0.8, 16 * 1.2);
        }
    }

    [Fact]
    public void Backoff_ManyAttempts_NeverExceedsMaximum()
    {
        for (var i = 0; i < Samples; i++)
        {
            var delay = MqttPublishing.Backoff(1000, 0.5, 30).TotalSeconds;
            Assert.InRange(delay, 30 * 0.8, 30);
        }
    }

    [Fact]
    public void Version_Configured_IsKept()
    {
        Assert.Equal("1.2.3-test", MqttPublishing.Version("1.2.3-test"));
    }

    [Fact]
    public void Version_Blank_FallsBackToAssemblyVersion()
    {
        Assert.False(string.IsNullOrWhiteSpace(MqttPublishing.Version("  ")));
    }

    [Fact]
    public void ClientOptions_Always_CarryRetainedQos1WillOnMqtt5()
    {
        var options = MqttPublishing.ClientOptions("127.0.0.1", 1883, "clovers-test", null, null, "clovers/test/status", [1, 2, 3]);

        Assert.Equal(MqttProtocolVersion.V500, options.ProtocolVersion);
        Assert.True(options.CleanSession);
        Assert.Equal("clovers/test/status", options.WillTopic);
        Assert.Equal([1, 2, 3], options.WillPayload);
        Assert.True(options.WillRetain);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, options.WillQualityOfServiceLevel);
        Assert.Equal(MqttPublishing.JsonContentType, options.WillContentType);
    }

    [Fact]
    public void ClientOptions_NoUsername_SendNoCredentials()
    {
        var options = MqttPublishing.ClientOptions("127.0.0.1", 1883, "clovers-test", "", "secret", "clovers/test/status", []);

        Assert.Null(options.Credentials);
    }

    [Fact]
    public void ClientOptions_Username_SendCredentials()
    {
        var options = MqttPublishing.ClientOptions("127.0.0.1", 1883, "clovers-test", "daq", "pw", "clovers/test/status", []);

        Assert.NotNull(options.Credentials);
    }
}
