using Clovers.Monitor.Simulation.Drivers;
using Clovers.Monitor.Simulation.Platform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Simulation.Agent;

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// An edge agent that publishes the simulated platform: binds and validates the
    /// <see cref="AgentOptions.SectionName"/> section at start (every problem listed at once),
    /// binds <see cref="SimulatedPlatformOptions.SectionName"/>, and runs the runtime as a hosted service.
    /// With <c>Agent:Hv:Enabled</c> the agent also carries out HV commands on the SCPI supply at
    /// <c>Agent:Hv:Supply</c>, within its hard limits.
    /// </summary>
    public static IHostApplicationBuilder AddSimulatedEdgeAgent(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SimulatedPlatformOptions>().BindConfiguration(SimulatedPlatformOptions.SectionName);
        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.SectionName)
            .Validate(
                options => options.Simulated,
                $"{AgentOptions.SectionName}:{nameof(AgentOptions.Simulated)} is false, but this agent has no hardware driver yet; set it to true.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>>(new AgentOptionsValidator(
            options => SimulatedChannels.Describe(new SimulatedPlatformOptions { AgentId = options.AgentId }).Select(c => c.Id)));

        services.AddSingleton(sp => new SimulatedPlatform(
            sp.GetRequiredService<IOptions<SimulatedPlatformOptions>>().Value.ForAgent(sp.GetRequiredService<IOptions<AgentOptions>>().Value.AgentId),
            AgentClock(sp)));
        services.AddSingleton<IPlatformDriver>(sp => sp.GetRequiredService<SimulatedPlatform>());
        services.AddOptions<HvControlOptions>().BindConfiguration(HvControlOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HvControlOptions>, HvControlOptionsValidator>();
        services.AddSingleton(sp => new ScpiHvSupply(sp.GetRequiredService<IOptions<HvControlOptions>>().Value.Supply));
        services.AddSingleton(sp => new HvCommandExecutor(
            sp.GetRequiredService<IOptions<HvControlOptions>>().Value,
            sp.GetRequiredService<ScpiHvSupply>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<HvCommandExecutor>>()));
        services.AddSingleton<IReadingOutbox>(sp => OpenDurableOutbox(
            sp.GetRequiredService<IOptions<AgentOptions>>().Value,
            sp.GetRequiredService<IPlatformDriver>(),
            sp.GetRequiredService<ILogger<SqliteOutbox>>()));
        services.AddSingleton(sp => new AgentRuntime(
            sp.GetRequiredService<IOptions<AgentOptions>>().Value,
            sp.GetRequiredService<IPlatformDriver>(),
            sp.GetRequiredService<IReadingOutbox>(),
            AgentClock(sp),
            sp.GetRequiredService<ILogger<AgentRuntime>>(),
            sp.GetRequiredService<HvCommandExecutor>()));
        services.AddHostedService<AgentWorker>();
        return builder;
    }

    /// <summary>Where the durable outbox of an agent lives when <see cref="AgentOptions.OutboxPath"/> is empty.</summary>
    public static string DefaultOutboxPath(string agentId) => Path.Combine("data", $"outbox-{agentId}.db");

    /// <summary>
    /// Opens the agent's durable outbox with its budget: the configured bytes, or a week of the
    /// nominal traffic of the channels it publishes.
    /// </summary>
    public static SqliteOutbox OpenDurableOutbox(AgentOptions options, IPlatformDriver driver, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(driver);
        var channels = options.Channels is { Count: > 0 } wanted
            ? driver.Channels.Where(c => wanted.Contains(c.Id))
            : driver.Channels;
        var budget = options.OutboxMaxBytes > 0
            ? options.OutboxMaxBytes
            : OutboxBudget.NominalBytes([.. channels, .. AgentRuntime.OutboxChannels(options)], options.SampleIntervalSeconds, OutboxBudget.DefaultSpan);
        var path = string.IsNullOrWhiteSpace(options.OutboxPath) ? DefaultOutboxPath(options.AgentId) : options.OutboxPath;
        var outbox = SqliteOutbox.Open(path, budget);
        logger.LogInformation(
            "Outbox {Path}: {Waiting} batches waiting ({Bytes} of {Budget} bytes), {Dropped} dropped so far, last sequence {LastSeq}",
            outbox.Path, outbox.Count, outbox.Bytes, outbox.MaxBytes, outbox.Dropped, outbox.LastSequence);
        return outbox;
    }

    private static TimeProvider AgentClock(IServiceProvider services)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var offset = services.GetRequiredService<IOptions<AgentOptions>>().Value.ClockOffsetSeconds;
        return offset == 0 ? time : new OffsetTimeProvider(time, TimeSpan.FromSeconds(offset));
    }
}
