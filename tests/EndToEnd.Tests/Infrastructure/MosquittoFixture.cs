using System.Globalization;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real mosquitto broker on a free loopback port, with the configuration Debian's mosquitto 2
/// needs to accept anonymous clients there. Nothing is persisted; the process dies with the fixture.
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    public const string Host = "127.0.0.1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _directory = new("mosquitto");
    private ChildProcess? _process;

    public int Port { get; private set; }

    /// <summary>
    /// Keep sessions and queued messages across a restart (mosquitto's persistence file), as a
    /// production broker does; set before <see cref="InitializeAsync"/>.
    /// </summary>
    public bool Persistent { get; init; }

    public string Output => _process?.Output ?? string.Empty;

    public async Task InitializeAsync()
    {
        Port = FreePort.Next();
        var configPath = Path.Combine(_directory.Path, "mosquitto.conf");
        await File.WriteAllLinesAsync(configPath,
        [
            string.Create(CultureInfo.InvariantCulture, $"listener {Port} {Host}"),
            "allow_anonymous true",
            Persistent ? "persistence true" : "persistence false",
            "persistence_location " + _directory.Path + "/",
            // The Server's session queues while it is away; mosquitto's default (1000) would drop.
            "max_queued_messages 100000",
            // When started as root mosquitto would switch to its own user, who cannot write here.
            "user " + Environment.UserName,
            "log_dest stdout",
            "log_type error",
            "log_type warning",
            "log_type notice",
        ]);

        await StartAgainAsync();
    }

    /// <summary>Stops the broker as a service manager would (SIGTERM): a persistent one saves its sessions.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        await _process.SendTerminateAsync();
        if (!await _process.WaitForExitAsync(StartTimeout))
        {
            await _process.KillAsync();
        }
    }

    /// <summary>Starts mosquitto (again) on the same port and configuration.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        var configPath = Path.Combine(_directory.Path, "mosquitto.conf");
        var executable = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        _process = ChildProcess.Start(executable, ["-c", configPath], _directory.Path);
        if (!await FreePort.WaitUntilListeningAsync(Port, StartTimeout, () => _process.HasExited))
        {
            throw new InvalidOperationException(
                $"mosquitto did not listen on {Host}:{Port} within {StartTimeout}:\n{_process.Output}");
        }
    }

    /// <summary>
    /// Publishes the file's bytes unchanged with mosquitto_pub, MQTT 5, QoS 1: what a DAQ written
    /// in another language would send.
    /// </summary>
    public Task PublishFileAsync(string topic, string payloadPath, bool retain) =>
        PublishFileAsync(Port, topic, payloadPath, retain);

    /// <summary>Publishes with mosquitto_pub to any broker on the loopback port, also the server's embedded one.</summary>
    public static async Task PublishFileAsync(int port, string topic, string payloadPath, bool retain)
    {
        List<string> arguments =
        [
            "-h", Host,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-V", "mqttv5",
            "-q", "1",
            "-t", topic,
            "-f", payloadPath,
        ];
        if (retain)
        {
            arguments.Add("-r");
        }

        await ChildProcess.RunAsync("mosquitto_pub", arguments, PublishTimeout);
    }

    /// <summary>Publishes the given text, written to a temporary file first, with mosquitto_pub.</summary>
    public static async Task PublishTextAsync(int port, string topic, string payload, bool retain)
    {
        using var directory = new TempDirectory("payload");
        var path = Path.Combine(directory.Path, "payload");
        await File.WriteAllTextAsync(path, payload);
        await PublishFileAsync(port, topic, path, retain);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _directory.Dispose();
    }
}
