using Clovers.Monitor.Server.Hosting;

namespace Clovers.Monitor.Server.Exposure;

public static class ExposureServiceCollectionExtensions
{
    /// <summary>The exposure and sensitivity panel's calculation, configured by the validated <c>Exposure</c> section.</summary>
    public static IHostApplicationBuilder AddExposure(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ExposureOptions, ExposureOptionsValidator>(ExposureOptions.SectionName);
        builder.Services.AddSingleton<ExposureCalculator>();
        return builder;
    }
}
