using Clovers.Monitor.Server.Hosting;

namespace Clovers.Monitor.Server.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>Binds <c>Mqtt</c>; in Embedded mode also runs the in-process broker.</summary>
    public static IHostApplicationBuilder AddMqtt(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MqttOptions, MqttOptionsValidator>(MqttOptions.SectionName);

        var mode = builder.Configuration[$"{MqttOptions.SectionName}:{nameof(MqttOptions.Mode)}"] ?? MqttModes.Embedded;
        if (string.Equals(mode, MqttModes.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<EmbeddedBroker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }

        return builder;
    }
}
