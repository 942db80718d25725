using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Storage.Influx;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Server.Tests.Storage.Contract;

/// <summary>
/// The store contract on a real InfluxDB 2 server named by <see cref="InfluxEnvironment"/>; every
/// test is skipped, with the reason printed, when none is. Data goes to yesterday (UTC), inside
/// any retention the test bucket may have, under a channel prefix of its own.
/// </summary>
[InfluxAvailable]
public sealed class InfluxStoreContractTests : TimeSeriesStoreContract
{
    protected override DateTimeOffset T0 { get; } =
        new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);

    protected override async Task<ITimeSeriesStore> OpenStoreAsync()
    {
        var store = new InfluxTimeSeriesStore(InfluxEnvironment.Options(), TimeProvider.System, NullLogger<InfluxTimeSeriesStore>.Instance);
        await store.PingAsync(CancellationToken.None);
        return store;
    }

    protected override async Task CloseStoreAsync(ITimeSeriesStore store) => await ((InfluxTimeSeriesStore)store).DisposeAsync();
}
