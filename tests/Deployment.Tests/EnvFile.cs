namespace Clovers.Monitor.Deployment.Tests;

/// <summary>A KEY=value file as docker compose and systemd read it: comments and blank lines skipped.</summary>
public sealed class EnvFile
{
    private EnvFile(IReadOnlyDictionary<string, string> values) => Values = values;

    public IReadOnlyDictionary<string, string> Values { get; }

    public static EnvFile Load(string relativePath)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in RepositoryFiles.ReadAllText(relativePath).Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{relativePath}: '{line}' is not KEY=value.");
            }

            values.Add(line[..equals].Trim(), line[(equals + 1)..].Trim());
        }

        return new EnvFile(values);
    }
}
