using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Shared.Api;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>Binds <c>Mqtt</c>; in Embedded mode also runs the in-process broker with its authentication and ACL.</summary>
    public static IHostApplicationBuilder AddMqtt(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MqttOptions, MqttOptionsValidator>(MqttOptions.SectionName);
        builder.Services.AddSingleton<InProcessMqttLogins>();
        builder.Services.AddSingleton<MqttRefusalCounters>();
        builder.Services.AddSingleton<MqttBrokerSecurity>();

        var mode = builder.Configuration[$"{MqttOptions.SectionName}:{nameof(MqttOptions.Mode)}"] ?? MqttModes.Embedded;
        if (string.Equals(mode, MqttModes.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<EmbeddedBroker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }

        return builder;
    }

    /// <summary><c>GET /api/diagnostics/broker</c>: what the embedded broker's authentication and ACL refused.</summary>
    public static IEndpointRouteBuilder MapBrokerDiagnostics(this IEndpointRouteBuilder app)
    {
        app.MapGet(BrokerRoutes.Diagnostics, (IOptions<MqttOptions> options, MqttRefusalCounters counters) =>
                TypedResults.Ok(new BrokerSecurityDiagnostics(
                    options.Value.IsEmbedded,
                    options.Value.AllowAnonymous,
                    options.Value.Accounts.Count,
                    counters.ConnectionsRefused,
                    counters.PublishesRefused,
                    counters.SubscriptionsRefused,
                    counters.ByReason,
                    counters.ByUser)))
            .WithTags("Diagnostics")
            .RequireAuthorization(AuthPolicies.Viewer)
            .WithSummary("Connections, publishes and subscriptions the embedded MQTT broker refused since the start, by reason and username.");
        return app;
    }
}
