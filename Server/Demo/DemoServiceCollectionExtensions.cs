using Clovers.Monitor.Simulation.Platform;
using Clovers.Monitor.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Demo;

public static class DemoServiceCollectionExtensions
{
    /// <summary>When <c>Demo:Enabled</c>, runs the simulated CLOVERS platform in-process, and beside it the simulated DAQ unless <c>Demo:Daq:Enabled</c> is false.</summary>
    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<DemoOptions, DemoOptionsValidator>(DemoOptions.SectionName);

        var enabled = builder.Configuration.GetValue($"{DemoOptions.SectionName}:{nameof(DemoOptions.Enabled)}", defaultValue: true);
        if (enabled)
        {
            builder.Services.AddSingleton(sp =>
            {
                var demo = sp.GetRequiredService<IOptions<DemoOptions>>().Value;
                var options = new SimulatedPlatformOptions
                {
                    AgentId = demo.AgentId,
                    Seed = demo.Seed,
                    DewarWarmupKelvinPerHour = demo.DewarWarmupKelvinPerHour,
                };
                return new SimulatedPlatform(options, sp.GetRequiredService<TimeProvider>());
            });
            builder.Services.AddSingleton<DemoPlatformService>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoPlatformService>());
            builder.Services.AddSingleton<SimulationFaults>();

            var daqEnabled = builder.Configuration.GetValue($"{DemoOptions.SectionName}:{nameof(DemoOptions.Daq)}:{nameof(DemoDaqOptions.Enabled)}", defaultValue: true);
            if (daqEnabled)
            {
                builder.Services.AddSingleton<DemoDaqService>();
                builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoDaqService>());
            }
        }

        return builder;
    }
}
