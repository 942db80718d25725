using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Client.Tests.Support;

/// <summary>
/// A <see cref="LiveDataService"/> connected to a real SignalR hub on a loopback port, started
/// with the snapshot a test class gives, and torn down after each test.
/// </summary>
public abstract class LiveServiceTestBase : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private HttpClient _http = null!;

    protected FakeTimeProvider Clock { get; } = new(TestChannels.Now);

    protected LoopbackMonitorServer HubServer { get; private set; } = null!;

    protected LiveDataService Live { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        HubServer = await LoopbackMonitorServer.StartAsync(InitialSnapshot(), Simulation);
        _http = new HttpClient { BaseAddress = HubServer.BaseAddress };
        Live = new LiveDataService(_http, NullLogger<LiveDataService>.Instance, Clock);
    }

    public async Task DisposeAsync()
    {
        await Live.DisposeAsync();
        _http.Dispose();
        await HubServer.DisposeAsync();
    }

    /// <summary>The snapshot the hub answers the first subscription with.</summary>
    protected abstract LiveSnapshot InitialSnapshot();

    protected virtual bool Simulation => false;

    protected static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    protected async Task StartAndWaitForSnapshotAsync()
    {
        await Live.StartAsync();
        await Eventually(() => Live.ConnectionState == LiveConnectionState.Connected);
    }
}
