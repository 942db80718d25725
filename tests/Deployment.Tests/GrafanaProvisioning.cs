using YamlDotNet.RepresentationModel;

namespace Clovers.Monitor.Deployment.Tests;

/// <summary>The provisioning files under grafana/provisioning.</summary>
public static class GrafanaProvisioning
{
    public const string Folder = "grafana/provisioning";
    public const string DatasourceFile = Folder + "/datasources/influxdb.yaml";
    public const string DashboardProviderFile = Folder + "/dashboards/clovers.yaml";

    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepositoryFiles.ReadAllText(path));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static YamlMappingNode InfluxDatasource =>
        (YamlMappingNode)ComposeFile.Items(Load(DatasourceFile), "datasources").Single();

    public static string InfluxDatasourceUid => ComposeFile.Scalar(ComposeFile.Child(InfluxDatasource, "uid")!);
}
