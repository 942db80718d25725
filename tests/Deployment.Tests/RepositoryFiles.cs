namespace Clovers.Monitor.Deployment.Tests;

/// <summary>Reads files of the repository this test assembly was built from.</summary>
public static class RepositoryFiles
{
    private const string SolutionFileName = "Clovers.Monitor.sln";

    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding Clovers.Monitor.sln, found by walking up from the test binaries.</summary>
    public static string Root => s_root.Value;

    public static string PathOf(string relativePath) =>
        Path.GetFullPath(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    public static string ReadAllText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// <summary>Every file under a folder of the repository, as paths relative to the root with '/'.</summary>
    public static IReadOnlyList<string> FilesUnder(string relativeFolder) =>
        [.. Directory.EnumerateFiles(PathOf(relativeFolder), "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFileName)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFileName} above {AppContext.BaseDirectory}.");
    }
}
