using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Server.Tests.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Tests.Alarms.Persistence;

public sealed class AlarmStateLoaderTests : IDisposable
{
    private readonly TemporaryStateDatabase _temporary = new();
    private readonly StateDatabase _database;
    private readonly AlarmStore _store;
    private readonly AlarmEngine _engine;
    private readonly IReadOnlyList<AlarmRule> _defaults = DefaultRules.Create(new AlarmOptions());

    public AlarmStateLoaderTests()
    {
        _database = _temporary.Open();
        _store = new AlarmStore(_database, _temporary.Time, NullLogger<AlarmStore>.Instance);
        _engine = new AlarmEngine(Options.Create(new AlarmOptions()), _temporary.Time, []);
        Assert.True(_engine.ReplaceRules(_defaults).IsValid);
    }

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task StartAsync_NothingStored_StoresTheDefaultRules()
    {
        await Loader().StartAsync(CancellationToken.None);

        Assert.Equal(_defaults, await _store.LoadRulesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_StoredRules_RunInsteadOfTheDefaults()
    {
        await _database.MigrateAsync();
        await _store.SaveRulesAsync([AlarmStoreTests.Limit("stored.only")], "alice", CancellationToken.None);

        await Loader().StartAsync(CancellationToken.None);

        Assert.Equal(["stored.only"], _engine.Rules.Select(r => r.Id));
    }

    [Fact]
    public async Task StartAsync_StoredSetNowInvalid_KeepsTheDefaults()
    {
        await _database.MigrateAsync();
        await _store.SaveRulesAsync([AlarmStoreTests.Limit("stored.bad") with { High = null }], "alice", CancellationToken.None);

        await Loader().StartAsync(CancellationToken.None);

        Assert.Equal(_defaults.Count, _engine.Rules.Count);
    }

    private AlarmStateLoader Loader() => new(_database, _store, _engine, NullLogger<AlarmStateLoader>.Instance);
}
