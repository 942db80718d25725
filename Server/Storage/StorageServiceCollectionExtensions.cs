using Clovers.Monitor.Server.Storage.Influx;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the <c>Storage</c> section and registers the store <c>Storage:Provider</c>
    /// names as the <see cref="ITimeSeriesStore"/> singleton: SQLite (its schema migrated when the
    /// host starts) unless it is <c>InfluxDB</c>.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);

        // The provider decides which services exist, so it is read now; the validator still checks it at start.
        var provider = builder.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"];
        if (StorageProviders.IsInfluxDb(provider))
        {
            builder.Services.TryAddSingleton<InfluxTimeSeriesStore>();
            builder.Services.TryAddSingleton<ITimeSeriesStore>(sp => sp.GetRequiredService<InfluxTimeSeriesStore>());
        }
        else
        {
            builder.Services.TryAddSingleton<SqliteTimeSeriesStore>();
            builder.Services.TryAddSingleton<ITimeSeriesStore>(sp => sp.GetRequiredService<SqliteTimeSeriesStore>());
            builder.Services.AddHostedService<StorageInitializer>();
        }

        // The writer is the first pipeline stage and, registered before ingest, the last
        // hosted service to stop: it drains its queue after ingest has ended.
        builder.Services.TryAddSingleton<Diagnostics.IngestCounters>();
        builder.Services.AddSingleton<StoreWriter>();
        builder.Services.AddSingleton<Ingest.IIngestStage>(sp => sp.GetRequiredService<StoreWriter>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreWriter>());
        return builder;
    }
}
