using Clovers.Monitor.Server.Tests.Integration;
using Microsoft.AspNetCore.Hosting;

namespace Clovers.Monitor.Server.Tests.Alarms.Persistence;

/// <summary>The whole Server on a data folder the test owns, so a second instance can start where the first stopped.</summary>
public sealed class FixedDirectoryServerFactory(string dataDirectory) : MonitorServerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Storage:DataDirectory", dataDirectory);
    }
}
