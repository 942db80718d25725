using Clovers.Monitor.Server.Mqtt;

namespace Clovers.Monitor.Server.Tests.Mqtt;

public sealed class MqttOptionsValidatorTests
{
    private readonly MqttOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeed() => Assert.True(_validator.Validate(null, new MqttOptions()).Succeeded);

    [Fact]
    public void Validate_BadModeAndPort_ListsBothProblems()
    {
        var result = _validator.Validate(null, new MqttOptions { Mode = "Bogus", Port = 70000 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Mqtt:Mode", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Mqtt:Port", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmbeddedWithHostName_RequiresAnAddress() =>
        Assert.True(_validator.Validate(null, new MqttOptions { Host = "broker.example" }).Failed);

    [Fact]
    public void Validate_ExternalWithHostName_Succeeds() =>
        Assert.True(_validator.Validate(null, new MqttOptions { Mode = MqttModes.External, Host = "mosquitto" }).Succeeded);

    [Fact]
    public void Validate_PasswordWithoutUser_Fails() =>
        Assert.True(_validator.Validate(null, new MqttOptions { Password = "x" }).Failed);
}
