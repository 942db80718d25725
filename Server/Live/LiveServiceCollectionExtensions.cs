using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Server.Hosting;

namespace Clovers.Monitor.Server.Live;

public static class LiveServiceCollectionExtensions
{
    /// <summary>Prefix of the backplane's Redis channels, so one Redis can serve other applications too.</summary>
    public const string RedisChannelPrefix = "clovers-monitor";

    /// <summary>Live state (a pipeline stage), the typed SignalR hub and its coalescing broadcaster.</summary>
    public static IHostApplicationBuilder AddLive(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LiveOptions, LiveOptionsValidator>(LiveOptions.SectionName);
        builder.Services.AddSingleton<LiveSubscriptions>();
        builder.Services.AddSingleton<HubBroadcaster>();
        builder.Services.AddSingleton<ILiveChangeListener>(sp => sp.GetRequiredService<HubBroadcaster>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubBroadcaster>());
        builder.Services.AddSingleton<LiveStateStore>();
        builder.Services.AddSingleton<IIngestStage>(sp => sp.GetRequiredService<LiveStateStore>());
        builder.Services.AddHostedService<LiveStatusMonitor>();
        var signalR = builder.Services.AddSignalR()
            .AddJsonProtocol(o => o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

        // Scale-out: with a Redis backplane every push (channel updates, alarms) from any Server
        // reaches browsers connected to every Server of the group.
        if (builder.Configuration[$"{LiveOptions.SectionName}:{nameof(LiveOptions.Redis)}"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal(RedisChannelPrefix));
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<MonitorHub>(Shared.Live.MonitorHubContract.Path);
        return app;
    }
}
