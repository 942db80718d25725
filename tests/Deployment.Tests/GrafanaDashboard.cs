using System.Text.Json;

namespace Clovers.Monitor.Deployment.Tests;

/// <summary>A dashboard JSON file of grafana/dashboards and the Flux queries of its panels.</summary>
public sealed class GrafanaDashboard
{
    public const string Folder = "grafana/dashboards";

    private GrafanaDashboard(string path, JsonElement root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public JsonElement Root { get; }

    public string? Uid => Root.TryGetProperty("uid", out var uid) ? uid.GetString() : null;

    /// <summary>Every panel, including those nested in collapsed rows.</summary>
    public IEnumerable<JsonElement> Panels => PanelsOf(Root);

    public IEnumerable<(string Panel, string Query)> PanelQueries =>
        from panel in Panels
        where panel.TryGetProperty("targets", out _)
        from target in panel.GetProperty("targets").EnumerateArray()
        where target.TryGetProperty("query", out _)
        select (panel.GetProperty("title").GetString() ?? string.Empty, target.GetProperty("query").GetString() ?? string.Empty);

    public static IReadOnlyList<string> Files =>
        [.. RepositoryFiles.FilesUnder(Folder).Where(path => path.EndsWith(".json", StringComparison.Ordinal))];

    public static GrafanaDashboard Load(string path)
    {
        using var document = JsonDocument.Parse(RepositoryFiles.ReadAllText(path));
        return new GrafanaDashboard(path, document.RootElement.Clone());
    }

    public static IReadOnlyList<GrafanaDashboard> LoadAll() => [.. Files.Select(Load)];

    private static IEnumerable<JsonElement> PanelsOf(JsonElement container)
    {
        if (!container.TryGetProperty("panels", out var panels))
        {
            yield break;
        }

        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            foreach (var nested in PanelsOf(panel))
            {
                yield return nested;
            }
        }
    }
}
