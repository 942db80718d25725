using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;

namespace Clovers.Monitor.Deployment.Tests;

/// <summary>
/// mosquitto started with deploy/mosquitto/mosquitto.conf and deploy/mosquitto/acl as the compose
/// stack uses them, on a free loopback port, with a password file made by mosquitto_passwd for the
/// Server user and a few agents. Only the listener, the file locations and persistence differ.
/// </summary>
public sealed class DeployedBrokerFixture : IAsyncLifetime
{
    public const string Host = "127.0.0.1";
    public const string ServerUser = "clovers-server";
    public static readonly string[] AgentUsers = ["platform-1", "platform-2", "daq-1"];

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(15);

    private readonly string _directory = Directory.CreateTempSubdirectory("clovers-broker-").FullName;
    private readonly Dictionary<string, string> _passwords = new(StringComparer.Ordinal);
    private readonly StringBuilder _output = new();
    private Process? _broker;

    public int Port { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string PasswordOf(string user) => _passwords[user];

    public async Task InitializeAsync()
    {
        Port = FreePort();
        var passwordFile = Path.Combine(_directory, "passwd");
        var aclFile = Path.Combine(_directory, "acl");
        File.Copy(RepositoryFiles.PathOf("deploy/mosquitto/acl"), aclFile);
        await File.WriteAllTextAsync(passwordFile, string.Empty);
        foreach (var user in AgentUsers.Prepend(ServerUser))
        {
            _passwords[user] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            await RunAsync("mosquitto_passwd", ["-b", passwordFile, user, _passwords[user]]);
        }

        if (!OperatingSystem.IsWindows())
        {
            // As the compose entrypoint does: mosquitto 2 warns about files others can read.
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(aclFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var configFile = Path.Combine(_directory, "mosquitto.conf");
        await File.WriteAllLinesAsync(configFile, DeployedConfig(passwordFile, aclFile));

        var executable = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        _broker = Start(executable, ["-c", configFile]);
        await WaitUntilListeningAsync();
    }

    /// <summary>A client connected as <paramref name="user"/> with its password.</summary>
    public async Task<IMqttClient> ConnectAsync(string user)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(ClientOptions(user, PasswordOf(user)));
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"{user} could not connect: {result.ResultCode}\n{Output}");
        }

        return client;
    }

    /// <summary>How the broker answers a connection with these credentials (none when null).</summary>
    public async Task<MqttClientConnectResultCode> ConnectResultAsync(string? user, string? password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(ClientOptions(user, password));
        return result.ResultCode;
    }

    private MqttClientOptions ClientOptions(string? user, string? password)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"{user ?? "anonymous"}-{Guid.NewGuid():N}")
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (user is not null)
        {
            builder.WithCredentials(user, password);
        }

        return builder.Build();
    }

    public async Task DisposeAsync()
    {
        if (_broker is { HasExited: false })
        {
            _broker.Kill();
            await _broker.WaitForExitAsync();
        }

        _broker?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The deployed configuration, moved to this test's port, files and no persistence.</summary>
    private IEnumerable<string> DeployedConfig(string passwordFile, string aclFile)
    {
        // Started as root, mosquitto would switch to the "mosquitto" user, which cannot read the
        // files of this test; as anyone else the option is ignored.
        yield return $"user {Environment.UserName}";
        foreach (var rawLine in File.ReadAllLines(RepositoryFiles.PathOf("deploy/mosquitto/mosquitto.conf")))
        {
            var key = rawLine.Trim().Split(' ')[0];
            yield return key switch
            {
                "listener" => string.Create(CultureInfo.InvariantCulture, $"listener {Port} {Host}"),
                "password_file" => $"password_file {passwordFile}",
                "acl_file" => $"acl_file {aclFile}",
                "persistence" => "persistence false",
                "persistence_location" or "autosave_interval" => string.Empty,
                _ => rawLine,
            };
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            if (_broker!.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_broker.ExitCode}:\n{Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"mosquitto did not listen on {Host}:{Port} within {s_startTimeout}:\n{Output}");
    }

    private Process Start(string executable, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task RunAsync(string executable, IEnumerable<string> arguments)
    {
        using var process = Start(executable, arguments);
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} failed with {process.ExitCode}:\n{Output}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
