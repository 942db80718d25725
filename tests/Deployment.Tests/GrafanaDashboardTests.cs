using System.Text.Json;
using Clovers.Monitor.Server.Storage.Influx;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Platform;

namespace Clovers.Monitor.Deployment.Tests;

public sealed class GrafanaDashboardTests
{
    /// <summary>Columns every Flux row has besides the tags: time, value, measurement, field, window.</summary>
    private static readonly string[] s_builtInColumns = ["_measurement", "_field", "_value", "_time", "_start", "_stop"];

    public static TheoryData<string> DashboardFiles => [.. GrafanaDashboard.Files];

    [Theory]
    [InlineData("grafana/dashboards/cryogenics.json")]
    [InlineData("grafana/dashboards/pmts.json")]
    [InlineData("grafana/dashboards/beam.json")]
    public void Dashboards_OfTheSubsystems_Exist(string path)
    {
        Assert.Contains(path, GrafanaDashboard.Files);
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Dashboard_Json_HasUidTitleSchemaVersionAndPanels(string path)
    {
        var dashboard = GrafanaDashboard.Load(path);

        Assert.False(string.IsNullOrWhiteSpace(dashboard.Uid));
        Assert.Matches("^[A-Za-z0-9_-]{1,40}$", dashboard.Uid);
        Assert.False(string.IsNullOrWhiteSpace(dashboard.Root.GetProperty("title").GetString()));
        Assert.True(dashboard.Root.GetProperty("schemaVersion").GetInt32() >= 36);
        Assert.NotEmpty(dashboard.Panels);
    }

    [Fact]
    public void Dashboards_Uids_AreUnique()
    {
        var uids = GrafanaDashboard.LoadAll().Select(dashboard => dashboard.Uid).ToList();

        Assert.Equal(uids.Count, uids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Dashboards_Titles_AreUnique()
    {
        var titles = GrafanaDashboard.LoadAll().Select(dashboard => dashboard.Root.GetProperty("title").GetString()).ToList();

        Assert.Equal(titles.Count, titles.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Panels_Ids_AreUniqueWithinTheDashboard(string path)
    {
        var ids = GrafanaDashboard.Load(path).Panels.Select(panel => panel.GetProperty("id").GetInt32()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Panels_Datasource_IsTheProvisionedInfluxDb(string path)
    {
        var provisionedUid = GrafanaProvisioning.InfluxDatasourceUid;

        var wrong = GrafanaDashboard.Load(path).Panels
            .Where(panel => panel.GetProperty("type").GetString() != "row")
            .Where(panel => !panel.TryGetProperty("datasource", out var datasource) || DatasourceUid(datasource) != provisionedUid)
            .Select(panel => panel.GetProperty("title").GetString());

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Targets_Datasource_IsTheProvisionedInfluxDb(string path)
    {
        var provisionedUid = GrafanaProvisioning.InfluxDatasourceUid;

        var targets = GrafanaDashboard.Load(path).Panels
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .ToList();

        Assert.NotEmpty(targets);
        Assert.All(targets, target => Assert.Equal(provisionedUid, DatasourceUid(target.GetProperty("datasource"))));
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Queries_Measurement_IsTheOneTheServerWrites(string path)
    {
        foreach (var (panel, query) in GrafanaDashboard.Load(path).PanelQueries)
        {
            var measurements = new FluxQuery(query).ValuesComparedWith("_measurement");
            Assert.True(measurements.Count > 0, $"panel '{panel}' does not filter on _measurement");
            Assert.All(measurements, measurement => Assert.Equal(InfluxSchema.Measurement, measurement));
        }
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Queries_Fields_AreFieldsTheServerWrites(string path)
    {
        foreach (var (panel, query) in GrafanaDashboard.Load(path).PanelQueries)
        {
            var fields = new FluxQuery(query).ValuesComparedWith("_field");
            Assert.True(fields.Count > 0, $"panel '{panel}' does not pick a _field");
            Assert.All(fields, field => Assert.Contains(field, InfluxSchema.Fields));
        }
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Queries_ColumnsRead_AreBuiltInOrTagsTheServerWrites(string path)
    {
        var known = s_builtInColumns.Concat(InfluxSchema.Tags).ToHashSet(StringComparer.Ordinal);

        var unknown = GrafanaDashboard.Load(path).PanelQueries
            .SelectMany(panelQuery => new FluxQuery(panelQuery.Query).ColumnsRead
                .Where(column => !known.Contains(column))
                .Select(column => $"{panelQuery.Panel}: r.{column}"));

        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Queries_ChannelIds_AreValidProtocolIds(string path)
    {
        var channels = ChannelIds(GrafanaDashboard.Load(path)).ToList();

        Assert.NotEmpty(channels);
        Assert.All(channels, channel => Assert.True(ProtocolRules.IsValidChannelId(channel), $"'{channel}' is not a valid channel id"));
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Queries_ChannelIds_AreChannelsOfThePlatform(string path)
    {
        var platform = SimulatedChannels.Describe(new SimulatedPlatformOptions()).Select(channel => channel.Id).ToHashSet(StringComparer.Ordinal);

        var unknown = ChannelIds(GrafanaDashboard.Load(path)).Where(channel => !platform.Contains(channel));

        Assert.Empty(unknown);
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Queries_Points_AreAggregatedPerWindow(string path)
    {
        var unaggregated = GrafanaDashboard.Load(path).PanelQueries
            .Where(panelQuery => !panelQuery.Query.Contains("aggregateWindow(every: v.windowPeriod", StringComparison.Ordinal))
            .Select(panelQuery => panelQuery.Panel);

        Assert.Empty(unaggregated);
    }

    [Theory]
    [MemberData(nameof(DashboardFiles))]
    public void Queries_Bucket_IsTheDashboardVariable(string path)
    {
        var dashboard = GrafanaDashboard.Load(path);
        var variables = dashboard.Root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Select(variable => variable.GetProperty("name").GetString()).ToList();

        Assert.Contains("bucket", variables);
        Assert.All(dashboard.PanelQueries, panelQuery => Assert.Contains("from(bucket: \"${bucket}\")", panelQuery.Query, StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboards_Together_ShowEveryPlatformChannelButTheAgentHeartbeat()
    {
        var shown = GrafanaDashboard.LoadAll().SelectMany(ChannelIds).ToHashSet(StringComparer.Ordinal);

        var missing = SimulatedChannels.Describe(new SimulatedPlatformOptions())
            .Where(channel => channel.Group != ChannelGroup.Agent)
            .Select(channel => channel.Id)
            .Where(id => !shown.Contains(id));

        Assert.Empty(missing);
    }

    private static IEnumerable<string> ChannelIds(GrafanaDashboard dashboard) =>
        dashboard.PanelQueries.SelectMany(panelQuery => new FluxQuery(panelQuery.Query).ValuesComparedWith(InfluxSchema.ChannelTag));

    private static string? DatasourceUid(JsonElement datasource) =>
        datasource.ValueKind == JsonValueKind.Object && datasource.TryGetProperty("uid", out var uid) ? uid.GetString() : null;
}
