using Clovers.Monitor.Server.Mqtt.Security;

namespace Clovers.Monitor.Server.Tests.Mqtt;

public sealed class MqttPasswordHasherTests
{
    // "correct-horse-battery" laid out as Identity's PasswordHasher<T> version 3 (HMAC-SHA512, 100,000
    // iterations, 16-byte salt), computed independently with Python's hashlib.pbkdf2_hmac.
    private const string IdentityHash = "AQAAAAIAAYagAAAAEAABAgMEBQYHCAkKCwwNDg/NCCybWuuOoLMNqpz7WkLsMQHvF1zdLPUFsHuCiXLLdA==";

    [Fact]
    public void Verify_TheHashedPassword_Succeeds() =>
        Assert.True(MqttPasswordHasher.Verify(MqttPasswordHasher.Hash("s3cret-password", 10_000), "s3cret-password"));

    [Fact]
    public void Verify_AnotherPassword_Fails() =>
        Assert.False(MqttPasswordHasher.Verify(MqttPasswordHasher.Hash("s3cret-password", 10_000), "s3cret-passwore"));

    [Fact]
    public void Verify_AHashOfIdentitysPasswordHasher_Succeeds() =>
        Assert.True(MqttPasswordHasher.Verify(IdentityHash, "correct-horse-battery"));

    [Fact]
    public void IsWellFormed_PlainPassword_IsFalse() => Assert.False(MqttPasswordHasher.IsWellFormed("correct-horse-battery"));

    [Fact]
    public void Hash_SamePasswordTwice_UsesDifferentSalts() =>
        Assert.NotEqual(MqttPasswordHasher.Hash("s3cret-password", 10_000), MqttPasswordHasher.Hash("s3cret-password", 10_000));

    [Fact]
    public void Run_PasswordOnStandardInput_PrintsAVerifiableHash()
    {
        using var output = new StringWriter();

        var exitCode = MqttPasswordTool.Run(new StringReader("a-long-enough-password\n"), output, TextWriter.Null);

        Assert.Equal(0, exitCode);
        Assert.True(MqttPasswordHasher.Verify(output.ToString().Trim(), "a-long-enough-password"));
    }

    [Fact]
    public void Run_EmptyInput_ExitsWithTwo() =>
        Assert.Equal(2, MqttPasswordTool.Run(new StringReader(string.Empty), TextWriter.Null, TextWriter.Null));
}
