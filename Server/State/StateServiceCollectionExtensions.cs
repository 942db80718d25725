using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Clovers.Monitor.Server.State;

public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// The relational state database (<c>state.db</c> in <c>Storage:DataDirectory</c>), migrated by a
    /// hosted service. Call right after <c>AddStorage()</c>: hosted services start in registration
    /// order, and the schema must be current before ingest delivers anything. The folder comes from
    /// the <c>Storage</c> section that <c>AddStorage()</c> binds.
    /// </summary>
    public static IHostApplicationBuilder AddState(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<StateDatabase>();
        builder.Services.TryAddSingleton<ServerEventLog>();
        builder.Services.AddHostedService<StateInitializer>();
        builder.Services.AddSingleton<AgentHistoryRecorder>();
        builder.Services.AddSingleton<IIngestStage>(sp => sp.GetRequiredService<AgentHistoryRecorder>());
        return builder;
    }
}
