using Clovers.Monitor.Server.Alarms.Rules;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>
/// Replaces the whole rule set: validated, stored, then swapped into the engine. One edit at a
/// time, so the stored set and the running set are always the same one.
/// </summary>
public sealed class AlarmRuleEditor(AlarmStore store, AlarmEngine engine, ILogger<AlarmRuleEditor> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<RuleValidationResult> ReplaceAsync(IReadOnlyList<AlarmRule> rules, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var validation = RuleValidator.ValidateAll(rules);
        if (!validation.IsValid)
        {
            return validation;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await store.SaveRulesAsync(rules, user, cancellationToken);
            var swapped = engine.ReplaceRules(rules);
            logger.LogInformation("Alarm rules replaced by {User}: {Count} rules", user, rules.Count);
            return swapped;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
