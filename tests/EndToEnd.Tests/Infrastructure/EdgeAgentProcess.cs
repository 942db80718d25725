using System.Globalization;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>The built edge agent running as its own process against a broker on the loopback.</summary>
public sealed class EdgeAgentProcess : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly IReadOnlyList<string> _arguments;

    private EdgeAgentProcess(string agentId, ChildProcess process, TempDirectory directory, IReadOnlyList<string> arguments)
    {
        AgentId = agentId;
        Process = process;
        _directory = directory;
        _arguments = arguments;
    }

    public string AgentId { get; }

    public ChildProcess Process { get; private set; }

    /// <summary>The agent's working folder; its durable outbox lives under it and survives <see cref="RestartAsync"/>.</summary>
    public string WorkingDirectory => _directory.Path;

    /// <summary>What every run of the agent in this folder said, oldest first.</summary>
    public string Output => _earlierOutput + Process.Output;

    private string _earlierOutput = string.Empty;

    /// <summary>
    /// Starts the agent in a fresh working folder. Its content root stays its build output, where
    /// its appsettings.json is copied.
    /// </summary>
    public static EdgeAgentProcess Start(string agentId, int brokerPort, params string[] settings)
    {
        var directory = new TempDirectory("agent");
        List<string> arguments =
        [
            RepoPaths.EdgeAgentAssembly,
            "--contentRoot", Path.GetDirectoryName(RepoPaths.EdgeAgentAssembly)!,
            "--Agent:AgentId=" + agentId,
            "--Agent:BrokerHost=" + MosquittoFixture.Host,
            "--Agent:BrokerPort=" + brokerPort.ToString(CultureInfo.InvariantCulture),
            .. settings,
        ];
        var process = ChildProcess.Start("dotnet", arguments, directory.Path);
        return new EdgeAgentProcess(agentId, process, directory, arguments);
    }

    /// <summary>Ends the agent at once (SIGKILL), as a crash or a power cut would.</summary>
    public Task KillAsync() => Process.KillAsync();

    /// <summary>Stops the agent as a service manager would (SIGTERM) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        await Process.SendTerminateAsync();
        if (!await Process.WaitForExitAsync(TimeSpan.FromSeconds(20)))
        {
            await Process.KillAsync();
        }
    }

    /// <summary>Starts the agent again in the same folder, with the same settings (and outbox).</summary>
    public async Task RestartAsync()
    {
        _earlierOutput += Process.Output;
        await Process.DisposeAsync();
        Process = ChildProcess.Start("dotnet", _arguments, _directory.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _directory.Dispose();
    }
}
