using Clovers.Monitor.Server.Storage;

namespace Clovers.Monitor.Server.Tests.Storage.Contract;

/// <summary>The store contract on SQLite, in a fresh temporary folder per test.</summary>
public sealed class SqliteStoreContractTests : TimeSeriesStoreContract
{
    private TemporaryStore? _temporary;

    protected override DateTimeOffset T0 => TemporaryStore.T0;

    protected override Task<ITimeSeriesStore> OpenStoreAsync()
    {
        _temporary = new TemporaryStore();
        return Task.FromResult<ITimeSeriesStore>(_temporary.Store);
    }

    protected override async Task CloseStoreAsync(ITimeSeriesStore store)
    {
        if (_temporary is not null)
        {
            await _temporary.DisposeAsync();
        }
    }
}
