using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>Binds <c>Mqtt</c>; in Embedded mode also runs the in-process broker.</summary>
    public static IHostApplicationBuilder AddMqtt(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();

        var mode = builder.Configuration[$"{MqttOptions.SectionName}:{nameof(MqttOptions.Mode)}"] ?? MqttModes.Embedded;
        if (string.Equals(mode, MqttModes.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddSingleton<EmbeddedBroker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }

        return builder;
    }
}
