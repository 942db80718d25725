using System.Reflection;
using Clovers.Monitor.Server.Demo;
using Clovers.Monitor.Shared.Api;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Hosting;

/// <summary>What this Server is: version, start time, and whether it shows a simulated platform.</summary>
public sealed class ServerIdentity
{
    public ServerIdentity(IOptions<DemoOptions> demo, TimeProvider time)
    {
        Simulation = demo.Value.Enabled;
        StartedAt = time.GetUtcNow();
        Version = typeof(ServerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    }

    public string Version { get; }

    public bool Simulation { get; }

    public DateTimeOffset StartedAt { get; }

    public ServerInfo ToInfo() => new(Version, Simulation, StartedAt);
}
