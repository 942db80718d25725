using Clovers.Monitor.Server.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Clovers.Monitor.Server.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>MQTT ingest, validation, the bounded pipeline and its dispatcher to the stages.</summary>
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IngestCounters>();
        builder.Services.AddSingleton<MessageValidator>();
        builder.Services.AddSingleton<IngestPipeline>();
        builder.Services.AddSingleton<SequenceTracker>();
        builder.Services.AddSingleton<SequenceStore>();
        builder.Services.AddSingleton<MqttIngestClient>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MqttIngestClient>());
        builder.Services.AddHostedService<PipelineDispatcher>();
        return builder;
    }
}
