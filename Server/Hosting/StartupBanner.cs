using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Clovers.Monitor.Server.Hosting;

/// <summary>Prints where the dashboard is, so a newcomer can open it straight away.</summary>
public static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var identity = app.Services.GetRequiredService<ServerIdentity>();
        foreach (var address in addresses)
        {
            Console.WriteLine($"CLOVERS Monitor {identity.Version}{(identity.Simulation ? " (SIMULATION)" : string.Empty)}: dashboard at {address}/");
        }
    }
}
