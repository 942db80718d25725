using System.Diagnostics;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The server's documented console command <c>create-admin NAME</c>, run as an operator would:
/// the built server on the same data folder, the password on standard input.
/// </summary>
public static class AdminCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task CreateAdminAsync(string dataDirectory, string name, string password)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        foreach (var argument in (string[])[
            RepoPaths.ServerAssembly, "create-admin", name,
            "--contentRoot", RepoPaths.ServerProjectDirectory,
            "--Storage:DataDirectory=" + dataDirectory,
            "--Demo:Enabled=false",
            "--Logging:LogLevel:Default=Warning"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"create-admin did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"create-admin exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
