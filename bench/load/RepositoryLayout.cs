namespace Clovers.Monitor.Load;

/// <summary>Where the built Server lives, found from the folder holding the solution.</summary>
public sealed record RepositoryLayout(string Root)
{
    public static RepositoryLayout Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clovers.Monitor.sln")))
            {
                return new RepositoryLayout(dir.FullName);
            }
        }

        throw new InvalidOperationException("Run the load driver from inside the repository (no Clovers.Monitor.sln above it).");
    }

    public string ServerProject => Path.Combine(Root, "Server");

    public string ServerDll(string configuration) =>
        Path.Combine(Root, "Server", "bin", configuration, "net10.0", "Clovers.Monitor.Server.dll");
}
