using Clovers.Monitor.Server.Demo;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Server.Mqtt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Hosting;

public sealed class ConfigurationErrorsTests
{
    [Fact]
    public void Collect_ProblemsInSeveralSections_ListsEveryOne()
    {
        using var services = Build(new()
        {
            ["Mqtt:Mode"] = "Bogus",
            ["Mqtt:Port"] = "70000",
            ["Live:PushIntervalMilliseconds"] = "1",
            ["Demo:AgentId"] = "Not Valid",
        });

        var problems = ConfigurationErrors.Collect(services);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("Mqtt:Mode", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Mqtt:Port", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Live:PushIntervalMilliseconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Demo:AgentId", StringComparison.Ordinal));
    }

    [Fact]
    public void Collect_ValueThatDoesNotConvert_IsListedBesideTheOthers()
    {
        using var services = Build(new() { ["Mqtt:Port"] = "abc", ["Live:MinStaleSeconds"] = "-1" });

        var problems = ConfigurationErrors.Collect(services);

        Assert.Contains(problems, p => p.Contains("'abc'", StringComparison.Ordinal) && p.Contains("Mqtt:Port", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Live:MinStaleSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void Collect_GoodConfiguration_FindsNothing()
    {
        using var services = Build([]);

        Assert.Empty(ConfigurationErrors.Collect(services));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddValidatedOptions<MqttOptions, MqttOptionsValidator>(MqttOptions.SectionName);
        services.AddValidatedOptions<LiveOptions, LiveOptionsValidator>(LiveOptions.SectionName);
        services.AddValidatedOptions<DemoOptions, DemoOptionsValidator>(DemoOptions.SectionName);
        return services.BuildServiceProvider();
    }
}
