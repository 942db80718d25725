using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Simulation.Agent;
using YamlDotNet.RepresentationModel;

namespace Clovers.Monitor.Deployment.Tests;

public sealed class ComposeFileTests
{
    private const string ServerService = "server";
    private const string BrokerService = "mosquitto";
    private const string InfluxService = "influxdb";
    private const string EdgeAgentService = "edge-agent";
    private const string Loopback = "127.0.0.1";

    private static ComposeFile Compose => ComposeFile.Instance;

    [Fact]
    public void Compose_TopLevel_HasNoObsoleteVersionKey()
    {
        Assert.Null(ComposeFile.Child(Compose.Document, "version"));
    }

    [Theory]
    [InlineData(BrokerService)]
    [InlineData(InfluxService)]
    [InlineData("grafana")]
    [InlineData(ServerService)]
    [InlineData(EdgeAgentService)]
    public void Services_OfTheStack_AreAllDefined(string service)
    {
        Assert.Contains(service, Compose.Services.Keys);
    }

    [Fact]
    public void BindMounts_EveryHostPath_ExistsInTheRepository()
    {
        var missing = BindMountSources().Where(source => !File.Exists(RepositoryFiles.PathOf(source)) && !Directory.Exists(RepositoryFiles.PathOf(source)));

        Assert.Empty(missing);
    }

    [Fact]
    public void BindMounts_HostPaths_StayInsideTheRepository()
    {
        var outside = BindMountSources().Where(source =>
            !RepositoryFiles.PathOf(source).StartsWith(RepositoryFiles.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal));

        Assert.Empty(outside);
    }

    [Fact]
    public void NamedVolumes_EveryOneUsed_IsDeclared()
    {
        var undeclared = VolumeSpecs()
            .Select(spec => spec.Split(':')[0])
            .Where(source => !IsHostPath(source))
            .Where(source => !Compose.DeclaredVolumes.Contains(source));

        Assert.Empty(undeclared);
    }

    [Fact]
    public void Builds_ContextAndDockerfile_ExistInTheRepository()
    {
        var builds = Compose.Services.Values.Select(service => ComposeFile.Child(service, "build")).OfType<YamlMappingNode>().ToList();
        Assert.NotEmpty(builds);

        foreach (var build in builds)
        {
            var context = ComposeFile.Scalar(ComposeFile.Child(build, "context")!);
            var dockerfile = ComposeFile.Scalar(ComposeFile.Child(build, "dockerfile")!);
            Assert.True(Directory.Exists(RepositoryFiles.PathOf(context)), $"build context '{context}' is missing");
            Assert.True(File.Exists(Path.Combine(RepositoryFiles.PathOf(context), dockerfile)), $"Dockerfile '{dockerfile}' is missing");
        }
    }

    [Fact]
    public void Variables_EveryOneWithoutDefault_IsInEnvExample()
    {
        var envExample = EnvFile.Load(".env.example").Values;

        var undefined = Interpolation.Uses(Compose.Text)
            .Where(use => !use.HasDefault && !envExample.ContainsKey(use.Name))
            .Select(use => use.Name)
            .Distinct();

        Assert.Empty(undefined);
    }

    [Fact]
    public void EnvExample_EveryVariable_IsUsedByCompose()
    {
        // COMPOSE_PROFILES is read by docker compose itself.
        var used = Interpolation.Uses(Compose.Text).Select(use => use.Name).Append("COMPOSE_PROFILES").ToHashSet(StringComparer.Ordinal);

        var unused = EnvFile.Load(".env.example").Values.Keys.Where(key => !used.Contains(key));

        Assert.Empty(unused);
    }

    [Fact]
    public void Ports_WithEnvExampleValues_BindOnlyToLoopback()
    {
        var envExample = EnvFile.Load(".env.example").Values;

        foreach (var (service, port) in PublishedPorts())
        {
            var resolved = Interpolation.Resolve(port, envExample);
            var parts = resolved.Split(':');
            Assert.True(parts.Length == 3 && parts[0] == Loopback, $"{service} publishes '{resolved}': bind it to {Loopback}");
        }
    }

    [Fact]
    public void Ports_BindAddressFromVariable_IsDocumentedInDeploymentGuide()
    {
        var guide = RepositoryFiles.ReadAllText("docs/deployment.md");

        var undocumented = PublishedPorts()
            .SelectMany(published => Interpolation.Uses(published.Port.Split(':')[0]))
            .Where(use => !guide.Contains(use.Name, StringComparison.Ordinal))
            .Select(use => use.Name);

        Assert.Empty(undocumented);
    }

    [Fact]
    public void ServerService_Storage_IsInfluxDb()
    {
        Assert.Equal("InfluxDB", ComposeFile.Environment(Compose.Service(ServerService))["Storage__Provider"]);
    }

    [Fact]
    public void ServerService_InfluxUrl_PointsAtTheInfluxService()
    {
        var url = new Uri(ComposeFile.Environment(Compose.Service(ServerService))["Storage__Influx__Url"]);

        Assert.Equal(InfluxService, url.Host);
    }

    [Fact]
    public void ServerService_Mqtt_IsExternalBrokerService()
    {
        var environment = ComposeFile.Environment(Compose.Service(ServerService));

        Assert.Equal(MqttModes.External, environment["Mqtt__Mode"]);
        Assert.Equal(BrokerService, environment["Mqtt__Host"]);
    }

    [Fact]
    public void ServerService_Demo_IsDisabled()
    {
        Assert.Equal("false", ComposeFile.Environment(Compose.Service(ServerService))["Demo__Enabled"]);
    }

    [Fact]
    public void ServerService_Urls_ListenOnTheContainerPortThatIsPublished()
    {
        var urls = new Uri(ComposeFile.Environment(Compose.Service(ServerService))["Urls"]);
        var published = PublishedPorts().Single(port => port.Service == ServerService).Port;

        Assert.Equal("0.0.0.0", urls.Host);
        Assert.EndsWith($":{urls.Port}", published, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerService_Healthcheck_ProbesHealthz()
    {
        var healthcheck = (YamlMappingNode)ComposeFile.Child(Compose.Service(ServerService), "healthcheck")!;

        var test = string.Join(' ', ComposeFile.Items(healthcheck, "test").Select(ComposeFile.Scalar));

        Assert.Contains("/healthz", test, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerService_MqttSettings_NameMqttOptionsProperties()
    {
        AssertSectionKeysAreProperties(ComposeFile.Environment(Compose.Service(ServerService)).Keys, MqttOptions.SectionName, typeof(MqttOptions));
    }

    [Fact]
    public void EdgeAgentService_AgentSettings_NameAgentOptionsProperties()
    {
        AssertSectionKeysAreProperties(ComposeFile.Environment(Compose.Service(EdgeAgentService)).Keys, AgentOptions.SectionName, typeof(AgentOptions));
    }

    [Fact]
    public void EdgeAgentService_Username_IsItsAgentId()
    {
        var environment = ComposeFile.Environment(Compose.Service(EdgeAgentService));

        Assert.Equal(environment["Agent__AgentId"], environment["Agent__Username"]);
        Assert.Equal(BrokerService, environment["Agent__BrokerHost"]);
    }

    [Fact]
    public void EdgeAgentService_Simulated_RunsOnlyInItsProfile()
    {
        var profiles = ComposeFile.Items(Compose.Service(EdgeAgentService), "profiles").Select(ComposeFile.Scalar);

        Assert.Contains("simulation", profiles);
    }

    [Fact]
    public void Services_AfterACrashOrReboot_RestartUnlessStopped()
    {
        var notRestarting = Compose.Services
            .Where(pair => ComposeFile.Child(pair.Value, "restart") is not YamlScalarNode { Value: "unless-stopped" })
            .Select(pair => pair.Key);

        Assert.Empty(notRestarting);
    }

    internal static void AssertSectionKeysAreProperties(IEnumerable<string> keys, string section, Type optionsType)
    {
        var prefix = section + "__";
        var unknown = keys
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(key => key[prefix.Length..])
            .Where(property => optionsType.GetProperty(property) is null)
            .ToList();

        Assert.Contains(keys, key => key.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Empty(unknown);
    }

    private static IEnumerable<string> VolumeSpecs() =>
        Compose.Services.Values
            .SelectMany(service => ComposeFile.Items(service, "volumes"))
            .Select(ComposeFile.Scalar);

    private static IEnumerable<string> BindMountSources() =>
        VolumeSpecs().Select(spec => spec.Split(':')[0]).Where(IsHostPath);

    private static bool IsHostPath(string source) => source.StartsWith('.') || source.StartsWith('/');

    private static IEnumerable<(string Service, string Port)> PublishedPorts() =>
        Compose.Services.SelectMany(pair => ComposeFile.Items(pair.Value, "ports").Select(port => (pair.Key, ComposeFile.Scalar(port))));
}
