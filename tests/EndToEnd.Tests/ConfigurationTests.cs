using Clovers.Monitor.EndToEnd.Tests.Infrastructure;

namespace Clovers.Monitor.EndToEnd.Tests;

/// <summary>Bad configuration stops the server at once with every problem named, not one at a time.</summary>
public sealed class ConfigurationTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_InvalidMqttModeAndPort_ExitsNonZeroNamingBothProblems()
    {
        using var directory = new TempDirectory("bad-config");
        var address = new Uri($"http://{MosquittoFixture.Host}:{FreePort.Next()}");
        await using var server = ServerProcess.Launch(directory.Path, address, ["--Mqtt:Mode=Bogus", "--Mqtt:Port=70000"]);

        Assert.True(await server.WaitForExitAsync(ExitTimeout), $"Still running after {ExitTimeout}:\n{server.Output}");

        Assert.NotEqual(0, server.ExitCode);
        Assert.Contains("Mqtt:Mode", server.Output, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Port", server.Output, StringComparison.Ordinal);
    }
}
