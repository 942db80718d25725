using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.State;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>
/// At start, before ingest delivers a reading: brings the stored rule set into the engine (or
/// stores the default rules when none was ever stored), then restores each alarm's stored state,
/// silently. A stored set the validator now refuses leaves the defaults running, loudly logged.
/// </summary>
public sealed class AlarmStateLoader(
    StateDatabase database,
    AlarmStore store,
    AlarmEngine engine,
    ILogger<AlarmStateLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Idempotent: the state initializer normally migrated already; this makes the order safe.
        await database.MigrateAsync(cancellationToken);

        var rules = await store.LoadRulesAsync(cancellationToken);
        if (rules.Count == 0)
        {
            await store.SaveRulesAsync(engine.Rules, AlarmTransition.System, cancellationToken);
            logger.LogInformation("No alarm rules stored yet: stored the {Count} default rules", engine.Rules.Count);
        }
        else
        {
            var loaded = engine.ReplaceRules(rules);
            if (!loaded.IsValid)
            {
                logger.LogCritical(
                    "The {Count} stored alarm rules are refused, the DEFAULT rules run instead until a valid set is stored: {Problems}",
                    rules.Count, string.Join(" ", loaded.Problems));
            }
            else
            {
                logger.LogInformation("Loaded {Count} alarm rules from the state database", rules.Count);
            }
        }

        var restored = engine.Restore(await store.LoadStatesAsync(cancellationToken));
        logger.LogInformation("Restored the state of {Count} alarms", restored);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
