using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the <c>Storage</c> section and registers the SQLite store as the
    /// <see cref="ITimeSeriesStore"/> singleton, its schema migrated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<SqliteTimeSeriesStore>();
        builder.Services.TryAddSingleton<ITimeSeriesStore>(sp => sp.GetRequiredService<SqliteTimeSeriesStore>());
        builder.Services.AddHostedService<StorageInitializer>();

        // The writer is the first pipeline stage and, registered before ingest, the last
        // hosted service to stop: it drains its queue after ingest has ended.
        builder.Services.TryAddSingleton<Diagnostics.IngestCounters>();
        builder.Services.AddSingleton<StoreWriter>();
        builder.Services.AddSingleton<Ingest.IIngestStage>(sp => sp.GetRequiredService<StoreWriter>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreWriter>());
        return builder;
    }
}
