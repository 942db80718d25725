using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Mqtt.Security;

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

    [Fact]
    public void Validate_AccountWithPlainPassword_Fails()
    {
        var options = new MqttOptions { Accounts = [new MqttAccountOptions { Username = "platform-1", Role = MqttRoles.Agent, PasswordHash = "hunter2-hunter2" }] };

        var result = _validator.Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("PasswordHash", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AccountWithUnknownRoleAndBadAgentName_ListsBoth()
    {
        var hash = MqttPasswordHasher.Hash("a-long-enough-password", 10_000);
        var options = new MqttOptions
        {
            Accounts =
            [
                new MqttAccountOptions { Username = "x", Role = "admin", PasswordHash = hash },
                new MqttAccountOptions { Username = "Platform/1", Role = MqttRoles.Agent, PasswordHash = hash },
            ],
        };

        var result = _validator.Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("Role 'admin'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("'Platform/1'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AccountNamedAsTheServer_Fails()
    {
        var options = new MqttOptions { Accounts = [new MqttAccountOptions { Username = InProcessMqttLogins.ServerUsername, Role = MqttRoles.Server, PasswordHash = MqttPasswordHasher.Hash("a-long-enough-password", 10_000) }] };

        Assert.True(_validator.Validate(null, options).Failed);
    }
}
