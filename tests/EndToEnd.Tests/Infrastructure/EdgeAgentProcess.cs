using System.Globalization;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>The built edge agent running as its own process against a broker on the loopback.</summary>
public sealed class EdgeAgentProcess : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private EdgeAgentProcess(string agentId, ChildProcess process, TempDirectory directory)
    {
        AgentId = agentId;
        Process = process;
        _directory = directory;
    }

    public string AgentId { get; }

    public ChildProcess Process { get; }

    /// <summary>
    /// Starts the agent in a fresh working folder. Its content root stays its build output, where
    /// its appsettings.json is copied.
    /// </summary>
    public static EdgeAgentProcess Start(string agentId, int brokerPort)
    {
        var directory = new TempDirectory("agent");
        var process = ChildProcess.Start(
            "dotnet",
            [
                RepoPaths.EdgeAgentAssembly,
                "--contentRoot", Path.GetDirectoryName(RepoPaths.EdgeAgentAssembly)!,
                "--Agent:AgentId=" + agentId,
                "--Agent:BrokerHost=" + MosquittoFixture.Host,
                "--Agent:BrokerPort=" + brokerPort.ToString(CultureInfo.InvariantCulture),
            ],
            directory.Path);
        return new EdgeAgentProcess(agentId, process, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _directory.Dispose();
    }
}
