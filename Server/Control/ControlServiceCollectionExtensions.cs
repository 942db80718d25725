using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Server.Control;

public static class ControlServiceCollectionExtensions
{
    /// <summary>HV control: the <c>Control:Hv</c> policy (validated at start), the MQTT requester, the command store and the service.</summary>
    public static IHostApplicationBuilder AddControl(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<HvControlOptions, HvControlOptionsValidator>(HvControlOptions.SectionName);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(ControlJsonContext.Default));
        builder.Services.AddSingleton<ControlRequester>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ControlRequester>());
        builder.Services.AddSingleton<ControlCommandStore>();
        builder.Services.AddSingleton<IControlAudit, AuditedControl>();
        builder.Services.AddSingleton<ControlService>();
        return builder;
    }
}
