namespace Clovers.Monitor.Server.Storage;

/// <summary>Opens the store and migrates its schema at start, so a bad file fails the start, not the first write.</summary>
internal sealed class StorageInitializer(SqliteTimeSeriesStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
