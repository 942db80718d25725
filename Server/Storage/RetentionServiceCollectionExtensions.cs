using Clovers.Monitor.Server.Hosting;

namespace Clovers.Monitor.Server.Storage;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Periodic deletion of time-series rows past their retention (section <c>Storage:Retention</c>).
    /// Call after <c>AddStorage()</c>, which registers the store it works on.
    /// </summary>
    public static IHostApplicationBuilder AddStorageRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(RetentionOptions.SectionName);
        builder.Services.AddSingleton<RetentionService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        return builder;
    }
}
