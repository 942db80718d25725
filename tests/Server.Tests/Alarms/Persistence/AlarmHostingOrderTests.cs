using Clovers.Monitor.Server.Alarms;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Server.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clovers.Monitor.Server.Tests.Alarms.Persistence;

public sealed class AlarmHostingOrderTests : IClassFixture<MonitorServerFactory>
{
    private readonly List<string> _order;

    public AlarmHostingOrderTests(MonitorServerFactory factory)
    {
        _order = [.. factory.Services.GetServices<IHostedService>().Select(s => s.GetType().Name)];
    }

    [Fact]
    public void HostedServices_Loader_StartsAfterTheSchemaAndBeforeIngest()
    {
        Assert.InRange(_order.IndexOf(nameof(AlarmStateLoader)), _order.IndexOf(nameof(StateInitializer)) + 1, _order.IndexOf(nameof(PipelineDispatcher)) - 1);
    }

    [Fact]
    public void HostedServices_HistoryWriter_StopsAfterIngestAndTheTimer()
    {
        // Hosts stop in reverse order: an earlier position stops later.
        Assert.True(_order.IndexOf(nameof(AlarmHistoryWriter)) < _order.IndexOf(nameof(PipelineDispatcher)));
        Assert.True(_order.IndexOf(nameof(AlarmHistoryWriter)) < _order.IndexOf(nameof(AlarmTimer)));
    }
}
