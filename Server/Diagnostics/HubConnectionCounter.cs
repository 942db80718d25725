using Microsoft.AspNetCore.SignalR;

namespace Clovers.Monitor.Server.Diagnostics;

/// <summary>Counts connections on this instance's hubs, as a hub filter so the hubs know nothing of it.</summary>
public sealed class HubConnectionCounter : IHubFilter
{
    private int _connections;

    public int Connections => Volatile.Read(ref _connections);

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await next(context);
        Interlocked.Increment(ref _connections);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Interlocked.Decrement(ref _connections);
        await next(context, exception);
    }
}
