using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Agent;
using Clovers.Monitor.Simulation.Platform;
using Clovers.Monitor.Simulation.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.EdgeAgent.Tests;

/// <summary>The EdgeAgent's composition (<c>builder.AddSimulatedEdgeAgent()</c>) in an in-process host.</summary>
public sealed class AddSimulatedEdgeAgentTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSimulatedEdgeAgent();
        return builder.Build();
    }

    [Fact]
    public async Task StartAsync_InvalidConfiguration_FailsListingEveryProblem()
    {
        using var host = BuildHost(new()
        {
            ["Agent:AgentId"] = "Not Valid",
            ["Agent:BrokerPort"] = "0",
            ["Agent:SampleIntervalSeconds"] = "-1",
            ["Agent:Password"] = "secret",
            ["Agent:Simulated"] = "false",
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        var failures = string.Join("\n", ex.Failures);
        Assert.All(
            ["AgentId", "BrokerPort", "SampleIntervalSeconds", "Username", "Simulated"],
            key => Assert.Contains(key, failures, StringComparison.Ordinal));
        Assert.DoesNotContain("secret", failures, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownChannel_FailsNamingIt()
    {
        using var host = BuildHost(new() { ["Agent:Channels:0"] = "cryo.ln2.level", ["Agent:Channels:1"] = "cryo.ln2.colour" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("cryo.ln2.colour", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SimulationSection_ConfiguresPlatformForTheAgent()
    {
        using var host = BuildHost(new() { ["Agent:AgentId"] = "edge-9", ["Simulation:Seed"] = "42", ["Simulation:BeamTripsPerHour"] = "2" });

        var platform = host.Services.GetRequiredService<SimulatedPlatform>();

        Assert.Equal(42, platform.Options.Seed);
        Assert.Equal(2, platform.Options.BeamTripsPerHour);
        Assert.Contains(platform.Channels, c => c.Id == "agent.edge-9.uptime");
    }

    [Fact]
    public async Task StartAndStop_ReachableBroker_PublishesBirthReadingsAndFinallyOffline()
    {
        await using var broker = await TestBroker.StartAsync();
        using var host = BuildHost(new()
        {
            ["Agent:AgentId"] = "host-1",
            ["Agent:BrokerPort"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:SampleIntervalSeconds"] = "0.1",
        });

        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => broker.Batches("host-1").Count >= 2, "readings arrived");
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

        var statuses = broker.Statuses("host-1");
        Assert.Equal(AgentLifecycle.Online, statuses[0].State);
        Assert.True(statuses[0].Channels.Count >= 40);
        Assert.Equal(AgentLifecycle.Offline, (await broker.RetainedStatusAsync("host-1"))?.State);
    }
}
