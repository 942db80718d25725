using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Hosting;

public static class OptionsRegistration
{
    /// <summary>
    /// Binds a configuration section to <typeparamref name="TOptions"/> and checks it with
    /// <typeparamref name="TValidator"/> when the host starts, so bad config fails at start with
    /// every problem listed, never later.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.AddSingleton(new ValidatedSection(typeof(TOptions), static provider => _ = provider.GetRequiredService<IOptions<TOptions>>().Value));
        return services;
    }
}
