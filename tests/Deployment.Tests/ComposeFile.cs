using YamlDotNet.RepresentationModel;

namespace Clovers.Monitor.Deployment.Tests;

/// <summary>docker-compose.yml, parsed: services, their settings and the file's raw text.</summary>
public sealed class ComposeFile
{
    public const string RelativePath = "docker-compose.yml";

    private static readonly Lazy<ComposeFile> s_instance = new(() => new ComposeFile(RepositoryFiles.ReadAllText(RelativePath)));

    private ComposeFile(string text)
    {
        Text = text;
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        Document = (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static ComposeFile Instance => s_instance.Value;

    public string Text { get; }

    public YamlMappingNode Document { get; }

    public IReadOnlyDictionary<string, YamlMappingNode> Services =>
        ((YamlMappingNode)Document.Children[new YamlScalarNode("services")]).Children
            .ToDictionary(pair => Scalar(pair.Key), pair => (YamlMappingNode)pair.Value, StringComparer.Ordinal);

    public IReadOnlyList<string> DeclaredVolumes =>
        Document.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes)
            ? [.. ((YamlMappingNode)volumes).Children.Keys.Select(Scalar)]
            : [];

    public YamlMappingNode Service(string name) => Services[name];

    /// <summary>The service's environment, from either the mapping or the list form.</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Child(service, "environment"))
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    environment[Scalar(key)] = Scalar(value);
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.Select(Scalar))
                {
                    var equals = item.IndexOf('=', StringComparison.Ordinal);
                    environment[equals < 0 ? item : item[..equals]] = equals < 0 ? string.Empty : item[(equals + 1)..];
                }

                break;
        }

        return environment;
    }

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static IReadOnlyList<YamlNode> Items(YamlMappingNode mapping, string key) =>
        Child(mapping, key) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    public static string Scalar(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : string.Empty;
}
