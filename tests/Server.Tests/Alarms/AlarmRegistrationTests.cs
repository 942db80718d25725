using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Tests.Alarms;

public sealed class AlarmRegistrationTests
{
    [Fact]
    public void AddAlarms_EngineIsAPipelineStageWithDefaultRules()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddAlarms();
        using var host = builder.Build();

        var engine = host.Services.GetRequiredService<AlarmEngine>();

        Assert.Contains(engine, host.Services.GetServices<IIngestStage>());
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlarmOptions>>().Value;
        Assert.Equal(DefaultRules.Create(options).Count, engine.Rules.Count);
    }
}
