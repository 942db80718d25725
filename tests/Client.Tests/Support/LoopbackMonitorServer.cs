using System.Collections.Concurrent;
using System.Net;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Client.Tests.Support;

/// <summary>
/// A stand-in for the monitor server that speaks the real contract: a typed SignalR hub at
/// <see cref="MonitorHubContract.Path"/> and the REST routes the client reads, on a loopback port
/// the OS picks.
/// </summary>
public sealed class LoopbackMonitorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackMonitorServer(WebApplication app, HubState state)
    {
        _app = app;
        State = state;
    }

    public HubState State { get; }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public IHubContext<TestMonitorHub, IMonitorClient> Hub => _app.Services.GetRequiredService<IHubContext<TestMonitorHub, IMonitorClient>>();

    public static async Task<LoopbackMonitorServer> StartAsync(LiveSnapshot snapshot, bool simulation = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var state = new HubState { Snapshot = snapshot };
        builder.Services.AddSingleton(state);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddSignalR()
            .AddJsonProtocol(json => json.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

        var app = builder.Build();
        app.MapHub<TestMonitorHub>(MonitorHubContract.Path);
        app.MapGet(ApiRoutes.Info, () => new ServerInfo("test", simulation, DateTimeOffset.UnixEpoch));
        app.MapGet(ApiRoutes.Channels, (HubState hubState) =>
        {
            Interlocked.Increment(ref hubState.ChannelListRequests);
            return hubState.Snapshot.Channels.ToArray();
        });
        await app.StartAsync();

        var server = new LoopbackMonitorServer(app, state);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Cuts every browser connection from the server side, as a restart or network blip would.</summary>
    public void DropConnections()
    {
        foreach (var connection in State.Connections.Values)
        {
            connection.Abort();
        }

        State.Connections.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed class HubState
    {
        public required LiveSnapshot Snapshot { get; set; }

        public ConcurrentDictionary<string, HubCallerContext> Connections { get; } = new();

        /// <summary>Pushed to the caller before its snapshot is returned, as a racing broadcast would be.</summary>
        public ChannelUpdate? UpdateBeforeSnapshot { get; set; }

        public int Subscriptions;

        public int ChannelListRequests;

        public int SpectraSubscriptions;

        public int SpectraUnsubscriptions;
    }
}

public sealed class TestMonitorHub(LoopbackMonitorServer.HubState state) : Hub<IMonitorClient>
{
    /// <summary>The connections that asked for spectra, as the real hub groups them.</summary>
    public const string SpectraGroup = "spectra";

    public async Task<LiveSnapshot> Subscribe(string[]? channelIds)
    {
        state.Connections[Context.ConnectionId] = Context;
        Interlocked.Increment(ref state.Subscriptions);
        if (state.UpdateBeforeSnapshot is { } early)
        {
            await Clients.Caller.ChannelsUpdated([early]);
        }

        return state.Snapshot with { ServerTime = DateTimeOffset.UtcNow };
    }

    [HubMethodName(MonitorHubContract.SubscribeSpectra)]
    public Task SubscribeSpectra()
    {
        Interlocked.Increment(ref state.SpectraSubscriptions);
        return Groups.AddToGroupAsync(Context.ConnectionId, SpectraGroup);
    }

    [HubMethodName(MonitorHubContract.UnsubscribeSpectra)]
    public Task UnsubscribeSpectra()
    {
        Interlocked.Increment(ref state.SpectraUnsubscriptions);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, SpectraGroup);
    }
}
