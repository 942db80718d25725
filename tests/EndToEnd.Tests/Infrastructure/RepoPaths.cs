using System.Reflection;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Where the built products live. The end-to-end tests run the real executables, so they look for
/// them in the build output of the same configuration as this test assembly.
/// </summary>
public static class RepoPaths
{
    private const string SolutionFileName = "Clovers.Monitor.sln";

    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RootDirectory => Root.Value;

    /// <summary>Debug or Release, whichever built this assembly.</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string ServerProjectDirectory => Path.Combine(RootDirectory, "Server");

    public static string ServerAssembly => BuiltAssembly("Server", "Clovers.Monitor.Server.dll");

    public static string EdgeAgentAssembly => BuiltAssembly("EdgeAgent", "Clovers.Monitor.EdgeAgent.dll");

    public static string ProtocolDocument => Path.Combine(RootDirectory, "docs", "protocol.md");

    private static string BuiltAssembly(string projectFolder, string fileName)
    {
        var path = Path.Combine(RootDirectory, projectFolder, "bin", Configuration, "net10.0", fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{fileName} is not built for {Configuration}; build {SolutionFileName} with -c {Configuration} first.", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds {SolutionFileName}.");
    }
}
