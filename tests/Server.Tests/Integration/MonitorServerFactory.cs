using System.Net;
using System.Net.Sockets;
using Clovers.Monitor.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Clovers.Monitor.Server.Tests.Integration;

/// <summary>
/// The whole Server in-process: its embedded MQTT broker on a free loopback port, SQLite in a
/// temporary folder, and the demo platform on or off. Disposed with everything it started.
/// </summary>
public class MonitorServerFactory : WebApplicationFactory<ServerIdentity>
{
    private readonly bool _demo;

    public MonitorServerFactory()
        : this(demo: false)
    {
    }

    protected MonitorServerFactory(bool demo)
    {
        _demo = demo;
        MqttPort = FreeTcpPort();
        DataDirectory = Directory.CreateTempSubdirectory("clovers-server-tests-").FullName;
    }

    public int MqttPort { get; }

    public string DataDirectory { get; }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Mqtt:Mode", "Embedded");
        builder.UseSetting("Mqtt:Host", "127.0.0.1");
        builder.UseSetting("Mqtt:Port", MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Demo:Enabled", _demo ? "true" : "false");
        builder.UseSetting("Live:PushIntervalMilliseconds", "100");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // SQLite may hold the files a moment after the host stops; a leftover temp dir is harmless.
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>The same with the simulated platform running, as on the embedded default.</summary>
public sealed class DemoServerFactory : MonitorServerFactory
{
    public DemoServerFactory()
        : base(demo: true)
    {
    }
}
