using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Ingest;
using Microsoft.Extensions.Options;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Alarms;

public static class AlarmServiceCollectionExtensions
{
    /// <summary>
    /// The alarm engine as a pipeline stage (register after live state) with the default rules,
    /// and its timer. Transition consumers (persistence, hub, notifier) register
    /// <see cref="IAlarmTransitionSink"/> singletons; the engine takes every one.
    /// </summary>
    public static IHostApplicationBuilder AddAlarms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AlarmOptions, AlarmOptionsValidator>(AlarmOptions.SectionName);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AlarmOptions>>();
            var engine = new AlarmEngine(
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetServices<IAlarmTransitionSink>(),
                sp.GetRequiredService<ILogger<AlarmEngine>>());
            var loaded = engine.ReplaceRules(DefaultRules.Create(options.Value));
            if (!loaded.IsValid)
            {
                throw new InvalidOperationException($"Default alarm rules are invalid: {string.Join(" ", loaded.Problems)}");
            }

            return engine;
        });
        builder.Services.AddSingleton<IIngestStage>(sp => sp.GetRequiredService<AlarmEngine>());
        builder.Services.AddHostedService<AlarmTimer>();
        return builder;
    }
}
