using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Clovers.Monitor.Benchmarks.Reference;

/// <summary>
/// A database server this benchmark starts itself, on loopback ports and a temporary data folder,
/// and stops by the process id it started (never by name); the folder is deleted with it.
/// Keeps the last lines the server printed, to explain a failed start.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int TailLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _tail = new(TailLines);
    private readonly Lock _tailLock = new();

    private ServerProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    /// <summary>A port the OS has just handed out on 127.0.0.1 (free now; taken by the server moments later).</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    public static string CreateDataDirectory(string server)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"clovers-reference-{server}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>The installed version of a Debian package, or "(version unknown)".</summary>
    public static async Task<string> PackageVersionAsync(string package)
    {
        try
        {
            var startInfo = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { "-W", "-f=${Version}", package })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo)!;
            var version = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 && version.Length > 0 ? version.Trim() : "(version unknown)";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "(version unknown)";
        }
    }

    /// <summary>Starts <paramref name="executable"/>; the server owns <paramref name="dataDirectory"/> from here on.</summary>
    public static ServerProcess Start(string executable, IEnumerable<string> arguments, string dataDirectory)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var server = new ServerProcess(process, dataDirectory);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            DeleteDirectory(dataDirectory);
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="path"/> until it answers with success, the process exits or time runs out.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with code {_process.ExitCode} while starting: {Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{_process.StartInfo.FileName} did not answer {path} within {timeout.TotalSeconds:N0} s: {Tail()}");
            }

            await Task.Delay(100);
        }
    }

    public string Tail()
    {
        lock (_tailLock)
        {
            return _tail.Count == 0 ? "(it printed nothing)" : string.Join(" | ", _tail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Only the process started here, not its tree or anything found by name.
                _process.Kill(entireProcessTree: false);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(wait.Token);
        }
        finally
        {
            _process.Dispose();
            DeleteDirectory(DataDirectory);
        }
    }

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_tailLock)
        {
            if (_tail.Count == TailLines)
            {
                _tail.Dequeue();
            }

            _tail.Enqueue(line);
        }
    }
}
