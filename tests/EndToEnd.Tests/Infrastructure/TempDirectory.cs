namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix)
    {
        Path = Directory.CreateTempSubdirectory("clovers-e2e-" + prefix + "-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that was just killed may still hold a file for a moment; temp is swept anyway.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above: never let clean-up hide the test's own result.
        }
    }
}
