using System.Diagnostics;
using System.Text;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A program the tests start and always end: its output is kept (first and last lines) so that a
/// failure can show what the program said, and disposing kills it with its whole process tree.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    // Enough to see how a program started and how it ended, bounded however chatty it is.
    private const int MaxFirstLines = 100;
    private const int MaxLastLines = 300;

    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<string> _firstLines = [];
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _linesLock = new();
    private long _skippedLines;

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the program wrote to stdout and stderr so far, interleaved: its first and last lines.</summary>
    public string Output
    {
        get
        {
            lock (_linesLock)
            {
                var skipped = _skippedLines > 0 ? [$"… {_skippedLines} lines left out …"] : Array.Empty<string>();
                return string.Join('\n', _firstLines.Concat(skipped).Concat(_lastLines));
            }
        }
    }

    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var child = new ChildProcess(process, fileName + " " + string.Join(' ', startInfo.ArgumentList));
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {child.Description}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a short program to its end and fails with its output if it fails or hangs.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        await using var child = Start(fileName, arguments, Directory.GetCurrentDirectory());
        if (!await child.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"{child.Description} did not finish within {timeout}:\n{child.Output}");
        }

        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{child.Description} exited with {child.ExitCode}:\n{child.Output}");
        }

        return child.Output;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Asks the program to stop as a service manager would (SIGTERM), so that it can shut down
    /// gracefully. <see cref="Process.Kill()"/> would send SIGKILL.
    /// </summary>
    public Task SendTerminateAsync() =>
        RunAsync("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));

    /// <summary>Ends the program and its children at once (SIGKILL) and waits until they are gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        if (!await WaitForExitAsync(ExitGrace))
        {
            throw new TimeoutException($"{Description} was killed but had not exited after {ExitGrace}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await WaitForExitAsync(ExitGrace);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    public override string ToString() => Description;

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_linesLock)
        {
            if (_firstLines.Count < MaxFirstLines)
            {
                _firstLines.Add(line);
                return;
            }

            if (_lastLines.Count == MaxLastLines)
            {
                _lastLines.Dequeue();
                _skippedLines++;
            }

            _lastLines.Enqueue(line);
        }
    }
}
