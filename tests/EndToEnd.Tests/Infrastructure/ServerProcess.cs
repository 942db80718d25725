using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>How to start the server: its MQTT side and whether the simulated platform runs.</summary>
/// <param name="MqttMode">Embedded (the server is the broker) or External (it connects to one).</param>
/// <param name="MqttPort">Port of the embedded broker, or of the external broker to connect to.</param>
/// <param name="DemoEnabled">Whether the server drives the simulated platform itself.</param>
public sealed record ServerSettings(string MqttMode, int MqttPort, bool DemoEnabled)
{
    public const string DemoAgentId = "platform-sim";

    public static ServerSettings EmbeddedWithDemo() => new("Embedded", FreePort.Next(), DemoEnabled: true);

    public static ServerSettings External(int brokerPort) => new("External", brokerPort, DemoEnabled: false);

    /// <summary>More configuration, as <c>--Key=value</c> arguments after the ones above.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public IEnumerable<string> ToArguments() =>
    [
        "--Mqtt:Mode=" + MqttMode,
        "--Mqtt:Host=" + MosquittoFixture.Host,
        "--Mqtt:Port=" + MqttPort.ToString(CultureInfo.InvariantCulture),
        "--Demo:Enabled=" + (DemoEnabled ? "true" : "false"),
        "--Demo:AgentId=" + DemoAgentId,
        .. ExtraArguments,
    ];
}

/// <summary>
/// The built server running as its own process, as an operator would run it, on free loopback
/// ports and with its data in a fresh temporary folder.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;
    private readonly TempDirectory? _ownedDirectory;

    private ServerProcess(ChildProcess process, string dataDirectory, TempDirectory? ownedDirectory, Uri baseAddress, ServerSettings settings)
    {
        _process = process;
        _ownedDirectory = ownedDirectory;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Settings = settings;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    public Uri BaseAddress { get; }

    /// <summary>The folder the server keeps its SQLite files in (its <c>Storage:DataDirectory</c>).</summary>
    public string DataDirectory { get; }

    public ServerSettings Settings { get; }

    public HttpClient Http { get; }

    /// <summary>When <c>/healthz</c> first answered 200.</summary>
    public DateTimeOffset ReadyAt { get; private set; }

    public string Output => _process.Output;

    /// <summary>Operating-system id of the server process (to read its memory use).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server and waits until <c>/healthz</c> answers 200.</summary>
    public static Task<ServerProcess> StartAsync(ServerSettings settings)
    {
        var directory = new TempDirectory("server");
        return StartAsync(settings, directory.Path, directory);
    }

    /// <summary>
    /// Starts the server on an existing data folder that the caller owns and keeps (to start
    /// another server on the same files later), and waits until <c>/healthz</c> answers 200.
    /// </summary>
    public static Task<ServerProcess> StartAsync(ServerSettings settings, string dataDirectory) =>
        StartAsync(settings, dataDirectory, ownedDirectory: null);

    /// <summary>Ends the server at once with SIGKILL, as a crash would: no shutdown code runs.</summary>
    public Task KillAsync() => _process.KillAsync();

    private static async Task<ServerProcess> StartAsync(ServerSettings settings, string dataDirectory, TempDirectory? ownedDirectory)
    {
        var port = FreePort.Next();
        var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{MosquittoFixture.Host}:{port}"));
        var process = Launch(dataDirectory, baseAddress, settings.ToArguments());
        var server = new ServerProcess(process, dataDirectory, ownedDirectory, baseAddress, settings);
        try
        {
            await server.WaitUntilHealthyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the server process with the given configuration and returns at once. Static web
    /// assets (the WebAssembly client) come from the build output only in Development, with the
    /// project folder as content root.
    /// </summary>
    public static ChildProcess Launch(string dataDirectory, Uri baseAddress, IEnumerable<string> configuration)
    {
        List<string> arguments =
        [
            RepoPaths.ServerAssembly,
            "--contentRoot", RepoPaths.ServerProjectDirectory,
            "--urls", baseAddress.GetLeftPart(UriPartial.Authority),
            "--Storage:DataDirectory=" + dataDirectory,
            // The readiness polls would otherwise bury what the server says in request logs.
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        ];
        arguments.AddRange(configuration);
        return ChildProcess.Start(
            "dotnet",
            arguments,
            dataDirectory,
            new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
            });
    }

    public async Task<ChannelState[]> GetChannelsAsync() =>
        await Http.GetFromJsonAsync(ApiRoutes.Channels, ApiJsonContext.Default.ChannelStateArray) ?? [];

    public async Task<AgentInfo[]> GetAgentsAsync() =>
        await Http.GetFromJsonAsync(ApiRoutes.Agents, ApiJsonContext.Default.AgentInfoArray) ?? [];

    public async Task<IngestDiagnostics> GetIngestDiagnosticsAsync() =>
        await Http.GetFromJsonAsync(ApiRoutes.IngestDiagnostics, ApiJsonContext.Default.IngestDiagnostics)
        ?? throw new InvalidOperationException("The ingest diagnostics answer was empty.");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        _ownedDirectory?.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var lastAnswer = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The server exited with {_process.ExitCode} before it was healthy:\n{_process.Output}");
            }

            try
            {
                using var response = await Http.GetAsync(ApiRoutes.Health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ReadyAt = DateTimeOffset.UtcNow;
                    return;
                }

                lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException exception)
            {
                lastAnswer = exception.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException(
            $"{ApiRoutes.Health} did not answer 200 within {ReadyTimeout} (last: {lastAnswer}):\n{_process.Output}");
    }
}
