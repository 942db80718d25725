using Clovers.Monitor.Server.Hosting;
using Clovers.Monitor.Server.Ingest;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Spectra;

public static class SpectraServiceCollectionExtensions
{
    /// <summary>
    /// DAQ ingest (histograms and status), the spectra store in memory and in state.db, SPE gain
    /// fits, shape checks, live pushes and snapshot retention. Call after <c>AddIngest()</c> and
    /// <c>AddState()</c>; the spectra stage joins the pipeline's stages.
    /// </summary>
    public static IHostApplicationBuilder AddSpectra(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SpectraOptions, SpectraOptionsValidator>(SpectraOptions.SectionName);
        builder.Services.AddSingleton<DaqRunTracker>();
        builder.Services.AddSingleton<DaqIngest>();
        builder.Services.AddSingleton<SpectraStore>();
        builder.Services.AddSingleton<SpectraRepository>();
        builder.Services.AddSingleton<SpeGainReferenceStore>();
        builder.Services.AddSingleton(sp => new SpeGainTracker(sp.GetRequiredService<IOptions<SpectraOptions>>().Value));
        builder.Services.AddSingleton<ShapeMonitor>();
        builder.Services.AddSingleton<SpectraPusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpectraPusher>());
        builder.Services.AddSingleton<SpectraProcessor>();
        builder.Services.AddSingleton<IIngestStage>(sp => sp.GetRequiredService<SpectraProcessor>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SpectraProcessor>());
        builder.Services.AddHostedService<SpectraRetentionService>();
        return builder;
    }
}
