using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Load;

/// <summary>
/// The real Server as a child process on loopback ports of its own, with its data in a temporary
/// folder. Stopped (by its process id) and cleaned up on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private ServerProcess(Process process, string dataDirectory, int httpPort, int mqttPort)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static ServerProcess Start(RepositoryLayout repository, string configuration, bool demo, params string[] extra)
    {
        var dll = repository.ServerDll(configuration);
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"Build the Server first: dotnet build -c {configuration} (missing {dll}).");
        }

        // Static web assets of the WebAssembly client are served from the build output in Development.
        return Start(dll, repository.ServerProject, "Development", demo, extra);
    }

    /// <summary>Starts a published Server (the folder <c>dotnet publish</c> wrote) as production runs it.</summary>
    public static ServerProcess StartPublished(string publishDirectory, bool demo) =>
        Start(Path.Combine(publishDirectory, "Clovers.Monitor.Server.dll"), publishDirectory, "Production", demo, []);

    private static ServerProcess Start(string dll, string contentRoot, string environment, bool demo, string[] extra)
    {
        var httpPort = FreePort();
        var mqttPort = FreePort();
        var data = Directory.CreateTempSubdirectory("clovers-load-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = data,
        };
        foreach (var argument in new[]
        {
            dll,
            "--contentRoot", contentRoot,
            "--urls", $"http://127.0.0.1:{httpPort}",
            "--Mqtt:Port", mqttPort.ToString(CultureInfo.InvariantCulture),
            "--Storage:DataDirectory", data,
            "--Demo:Enabled", demo ? "true" : "false",
            "--Logging:LogLevel:Default", "Warning",
        }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[server] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, data, httpPort, mqttPort);
    }

    /// <summary>Waits for /healthz 200; returns how long it took from the call.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}");
            }

            try
            {
                using var response = await Http.GetAsync(ApiRoutes.Health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"the server was not healthy within {within}");
    }

    public async Task<IngestDiagnostics> DiagnosticsAsync() =>
        (await Http.GetFromJsonAsync(ApiRoutes.IngestDiagnostics, ApiJsonContext.Default.IngestDiagnostics))!;

    /// <summary>Resident memory of the server process, in MiB.</summary>
    public double ResidentMegabytes()
    {
        _process.Refresh();
        return _process.WorkingSet64 / 1024.0 / 1024.0;
    }

    /// <summary>CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
