using Clovers.Monitor.Server.Hosting;

namespace Clovers.Monitor.Server.Handover;

public static class HandoverServiceCollectionExtensions
{
    /// <summary>The shift handover report (<c>/api/handover</c>) and, when configured, its e-mail at each shift end. Needs <c>AddLogbook()</c>.</summary>
    public static IHostApplicationBuilder AddHandover(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<HandoverOptions, HandoverOptionsValidator>(HandoverOptions.SectionName);
        builder.Services.AddSingleton<HandoverReportBuilder>();
        builder.Services.AddSingleton<HandoverMailer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HandoverMailer>());
        return builder;
    }
}
