using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Client.Auth;

public static class AuthClientServiceCollectionExtensions
{
    /// <summary>The current user, shared by every page.</summary>
    public static IServiceCollection AddUserSession(this IServiceCollection services)
    {
        services.AddSingleton<UserSession>();
        return services;
    }
}
