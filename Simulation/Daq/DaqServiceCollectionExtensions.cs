using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Simulation.Daq;

public static class DaqServiceCollectionExtensions
{
    /// <summary>
    /// A standalone simulated DAQ: binds and validates the <see cref="DaqSimulatorOptions.SectionName"/>
    /// section at start (every problem listed at once), runs its own beam model and publishes
    /// through the configured broker.
    /// </summary>
    public static IHostApplicationBuilder AddSimulatedDaq(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DaqSimulatorOptions>().BindConfiguration(DaqSimulatorOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DaqSimulatorOptions>, DaqSimulatorOptionsValidator>();
        services.AddSingleton<IBeamPowerSource>(sp =>
        {
            var daq = sp.GetRequiredService<IOptions<DaqSimulatorOptions>>().Value;
            var beam = new SimulatedPlatformOptions
            {
                Seed = daq.Seed,
                BeamNominalKilowatts = daq.BeamNominalKilowatts,
                BeamTripsPerHour = daq.BeamTripsPerHour,
            };
            return new StandaloneBeam(beam, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new DaqSimulator(
            sp.GetRequiredService<IOptions<DaqSimulatorOptions>>().Value,
            sp.GetRequiredService<IBeamPowerSource>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DaqRuntime(
            sp.GetRequiredService<DaqSimulator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DaqRuntime>>()));
        services.AddHostedService<DaqWorker>();
        return builder;
    }
}

/// <summary>Hosts the <see cref="DaqRuntime"/>; stopping the host publishes the offline status.</summary>
public sealed class DaqWorker(DaqRuntime runtime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => runtime.RunAsync(stoppingToken);
}
