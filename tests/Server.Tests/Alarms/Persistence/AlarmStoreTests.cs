using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Tests.State;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Tests.Alarms.Persistence;

public sealed class AlarmStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 20, 0, 0, TimeSpan.Zero);

    private readonly TemporaryStateDatabase _temporary = new();
    private readonly AlarmStore _store;

    public AlarmStoreTests()
    {
        var database = _temporary.Open();
        database.MigrateAsync().GetAwaiter().GetResult();
        _store = new AlarmStore(database, _temporary.Time, NullLogger<AlarmStore>.Instance);
    }

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Migration3_NewFile_CreatesTheAlarmTables()
    {
        Assert.True(await _temporary.TableExistsAsync("alarm_rules"));
        Assert.True(await _temporary.TableExistsAsync("alarm_states"));
        Assert.True(await _temporary.TableExistsAsync("alarm_history"));
    }

    [Fact]
    public async Task SaveRulesAsync_DefaultRules_LoadBackEqualAndInOrder()
    {
        var rules = DefaultRules.Create(new AlarmOptions { Agents = ["platform-sim"] });

        await _store.SaveRulesAsync(rules, "alice", CancellationToken.None);
        var loaded = await _store.LoadRulesAsync(CancellationToken.None);

        Assert.Equal(rules, loaded);
    }

    [Fact]
    public async Task SaveRulesAsync_SecondSet_ReplacesTheFirst()
    {
        await _store.SaveRulesAsync([Limit("a.one"), Limit("a.two")], "alice", CancellationToken.None);

        await _store.SaveRulesAsync([Limit("a.three")], "bob", CancellationToken.None);

        Assert.Equal(["a.three"], (await _store.LoadRulesAsync(CancellationToken.None)).Select(r => r.Id));
    }

    [Fact]
    public async Task AppendAsync_Transitions_QueryAnswersNewestFirstInRecordingOrder()
    {
        await _store.AppendAsync(
            [Transition("a.one", AlarmState.Normal, AlarmState.ActiveUnacknowledged, T0), Transition("a.one", AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged, T0, "alice", "seen")],
            [],
            CancellationToken.None);

        var history = await _store.QueryHistoryAsync(new AlarmHistoryQuery(), CancellationToken.None);

        Assert.Equal([AlarmState.ActiveAcknowledged, AlarmState.ActiveUnacknowledged], history.Select(h => h.To));
        Assert.Equal("alice", history[0].User);
        Assert.Equal("seen", history[0].Comment);
        Assert.True(history[0].Id > history[1].Id);
    }

    [Fact]
    public async Task QueryHistoryAsync_Filters_RuleSeverityRangeAndLimitApply()
    {
        await _store.AppendAsync(
            [
                Transition("a.one", AlarmState.Normal, AlarmState.ActiveUnacknowledged, T0),
                Transition("a.two", AlarmState.Normal, AlarmState.ActiveUnacknowledged, T0.AddMinutes(1), severity: AlarmSeverity.Critical),
                Transition("a.one", AlarmState.ActiveUnacknowledged, AlarmState.ReturnedUnacknowledged, T0.AddMinutes(2)),
                Transition("a.one", AlarmState.ReturnedUnacknowledged, AlarmState.Normal, T0.AddMinutes(3)),
            ],
            [],
            CancellationToken.None);

        var byRule = await _store.QueryHistoryAsync(new AlarmHistoryQuery(RuleId: "a.two"), CancellationToken.None);
        var bySeverity = await _store.QueryHistoryAsync(new AlarmHistoryQuery(Severity: AlarmSeverity.Major), CancellationToken.None);
        var byRange = await _store.QueryHistoryAsync(new AlarmHistoryQuery(From: T0.AddMinutes(1), To: T0.AddMinutes(3)), CancellationToken.None);
        var limited = await _store.QueryHistoryAsync(new AlarmHistoryQuery(Limit: 1), CancellationToken.None);

        Assert.Equal(["a.two"], byRule.Select(h => h.RuleId));
        Assert.Equal(3, bySeverity.Count);
        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(1)], byRange.Select(h => h.At));
        Assert.Equal(AlarmState.Normal, Assert.Single(limited).To);
    }

    [Fact]
    public async Task AppendAsync_Snapshots_UpsertedAndLoadedBack()
    {
        var first = Snapshot("a.one", AlarmState.ActiveUnacknowledged);
        var second = Snapshot("a.one", AlarmState.Shelved) with { Shelve = new ShelveInfo("alice", T0.AddHours(2), "maintenance") };

        await _store.AppendAsync([Transition("a.one", AlarmState.Normal, AlarmState.ActiveUnacknowledged, T0)], [first], CancellationToken.None);
        await _store.AppendAsync([Transition("a.one", AlarmState.ActiveUnacknowledged, AlarmState.Shelved, T0)], [second], CancellationToken.None);
        var loaded = Assert.Single(await _store.LoadStatesAsync(CancellationToken.None));

        Assert.Equal(second.State, loaded.State);
        Assert.Equal(second.Shelve, loaded.Shelve);
        Assert.Equal(second.RecentActivations, loaded.RecentActivations);
    }

    [Fact]
    public async Task AppendAsync_TouchedRuleWithoutSnapshot_LosesItsStoredState()
    {
        await _store.AppendAsync([Transition("a.one", AlarmState.Normal, AlarmState.ActiveUnacknowledged, T0)], [Snapshot("a.one", AlarmState.ActiveUnacknowledged)], CancellationToken.None);

        await _store.AppendAsync([Transition("a.one", AlarmState.ActiveUnacknowledged, AlarmState.Normal, T0, comment: "rule removed or disabled")], [], CancellationToken.None);

        Assert.Empty(await _store.LoadStatesAsync(CancellationToken.None));
    }

    internal static LimitRule Limit(string id) => new(id, $"Rule {id}", AlarmSeverity.Major, "test.value") { High = 10 };

    private static AlarmTransition Transition(
        string ruleId, AlarmState from, AlarmState to, DateTimeOffset at, string user = AlarmTransition.System, string? comment = null, AlarmSeverity severity = AlarmSeverity.Major) =>
        new($"{ruleId}@1", ruleId, from, to, at, user, 12.5, comment) { RuleName = $"Rule {ruleId}", Severity = severity };

    private static AlarmStateSnapshot Snapshot(string ruleId, AlarmState state) =>
        new(ruleId, $"{ruleId}@1", state, true, state == AlarmState.ActiveUnacknowledged, false, null, T0, 12.5, [T0]);
}
