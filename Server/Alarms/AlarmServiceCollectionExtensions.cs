using Clovers.Monitor.Server.Alarms.Live;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.State;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Alarms;

public static class AlarmServiceCollectionExtensions
{
    /// <summary>
    /// The alarm engine as a pipeline stage (register after live state) with the default rules,
    /// and its timer; persistence in the state database (rules, states, history) and immediate
    /// hub pushes. Further transition consumers (the notifier) register
    /// <see cref="IAlarmTransitionSink"/> singletons; the engine takes every one. Needs
    /// <c>AddState()</c> and <c>AddLive()</c> before it.
    /// </summary>
    public static IHostApplicationBuilder AddAlarms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AlarmOptions, AlarmOptionsValidator>(AlarmOptions.SectionName);

        builder.Services.AddSingleton<AlarmHistoryQueue>();
        builder.Services.AddSingleton<IAlarmTransitionSink>(sp => sp.GetRequiredService<AlarmHistoryQueue>());
        builder.Services.AddSingleton<AlarmPushQueue>();
        builder.Services.AddSingleton<IAlarmTransitionSink>(sp => sp.GetRequiredService<AlarmPushQueue>());

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
        builder.Services.AddSingleton<AlarmStore>();
        builder.Services.AddSingleton<AlarmRuleEditor>();
        builder.Services.AddSingleton<AlarmStateLoader>();
        builder.Services.AddSingleton<AlarmHistoryWriter>();
        AddRightAfterStateInitializer(
            builder.Services,
            ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<AlarmStateLoader>()),
            ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<AlarmHistoryWriter>()));
        builder.Services.AddHostedService<AlarmTimer>();
        builder.Services.AddSingleton<AlarmPusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlarmPusher>());
        return builder;
    }

    /// <summary>
    /// Hosted services start in registration order and stop in reverse. The loader must run after
    /// the schema is migrated but before ingest delivers a reading (or restored states would
    /// overwrite fresh ones), and the history writer must stop after ingest and the timer (or their
    /// last transitions would miss the final flush): both go right after the state initializer.
    /// Without one (a host without <c>AddState()</c>), they are appended.
    /// </summary>
    private static void AddRightAfterStateInitializer(IServiceCollection services, params ServiceDescriptor[] descriptors)
    {
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IHostedService) && services[i].ImplementationType == typeof(StateInitializer))
            {
                index = i;
                break;
            }
        }

        foreach (var descriptor in descriptors)
        {
            if (index < 0)
            {
                services.Add(descriptor);
            }
            else
            {
                services.Insert(++index, descriptor);
            }
        }
    }
}
