using YamlDotNet.RepresentationModel;

namespace Clovers.Monitor.Deployment.Tests;

public sealed class GrafanaProvisioningTests
{
    [Fact]
    public void Datasource_Influx_QueriesWithFlux()
    {
        var datasource = GrafanaProvisioning.InfluxDatasource;
        var jsonData = (YamlMappingNode)ComposeFile.Child(datasource, "jsonData")!;

        Assert.Equal("influxdb", ComposeFile.Scalar(ComposeFile.Child(datasource, "type")!));
        Assert.Equal("Flux", ComposeFile.Scalar(ComposeFile.Child(jsonData, "version")!));
    }

    [Fact]
    public void Datasource_Url_PointsAtTheInfluxService()
    {
        var url = new Uri(ComposeFile.Scalar(ComposeFile.Child(GrafanaProvisioning.InfluxDatasource, "url")!));

        Assert.Contains(url.Host, ComposeFile.Instance.Services.Keys);
    }

    [Fact]
    public void Datasource_Token_ComesFromTheEnvironment()
    {
        var secure = (YamlMappingNode)ComposeFile.Child(GrafanaProvisioning.InfluxDatasource, "secureJsonData")!;
        var token = ComposeFile.Scalar(ComposeFile.Child(secure, "token")!);

        var use = Assert.Single(Interpolation.Uses(token));
        Assert.Matches(@"^\$(\{|__env\{)[A-Z_]+\}$", token);
        Assert.False(use.HasDefault);
    }

    [Fact]
    public void Variables_EveryOneWithoutDefault_IsInEnvExample()
    {
        var envExample = EnvFile.Load(".env.example").Values;

        var undefined = ProvisioningVariables().Where(use => !use.HasDefault && !envExample.ContainsKey(use.Name)).Select(use => use.Name);

        Assert.Empty(undefined);
    }

    [Fact]
    public void Variables_EveryOne_IsPassedToTheGrafanaContainer()
    {
        var environment = ComposeFile.Environment(ComposeFile.Instance.Service("grafana"));

        var notPassed = ProvisioningVariables().Select(use => use.Name).Where(name => !environment.ContainsKey(name));

        Assert.Empty(notPassed);
    }

    [Fact]
    public void DashboardProvider_Path_IsWhereComposeMountsTheDashboards()
    {
        var provider = (YamlMappingNode)ComposeFile.Items(GrafanaProvisioning.Load(GrafanaProvisioning.DashboardProviderFile), "providers").Single();
        var path = ComposeFile.Scalar(ComposeFile.Child((YamlMappingNode)ComposeFile.Child(provider, "options")!, "path")!);
        var mounts = ComposeFile.Items(ComposeFile.Instance.Service("grafana"), "volumes").Select(ComposeFile.Scalar);

        Assert.Equal("file", ComposeFile.Scalar(ComposeFile.Child(provider, "type")!));
        Assert.Contains(mounts, mount => mount.StartsWith($"./{GrafanaDashboard.Folder}:{path}", StringComparison.Ordinal));
    }

    [Fact]
    public void ProvisioningFolder_IsMountedWhereGrafanaReadsIt()
    {
        var mounts = ComposeFile.Items(ComposeFile.Instance.Service("grafana"), "volumes").Select(ComposeFile.Scalar);

        Assert.Contains(mounts, mount => mount.StartsWith($"./{GrafanaProvisioning.Folder}:/etc/grafana/provisioning", StringComparison.Ordinal));
    }

    private static IEnumerable<VariableUse> ProvisioningVariables() =>
        RepositoryFiles.FilesUnder(GrafanaProvisioning.Folder)
            .SelectMany(path => Interpolation.Uses(RepositoryFiles.ReadAllText(path)));
}
