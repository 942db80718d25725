using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;
using MQTTnet;
using MQTTnet.Server;

namespace Clovers.Monitor.Simulation.Tests.Support;

/// <summary>A real in-process MQTT broker on a free loopback port that records what clients publish to it.</summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<PublishedMessage> _published = [];
    private MqttServer? _server;
    private IMqttClient? _listener;

    private TestBroker(int port) => Port = port;

    public int Port { get; }

    public static async Task<TestBroker> StartAsync()
    {
        var broker = new TestBroker(FreePort());
        await broker.StartServerAsync();
        return broker;
    }

    /// <summary>Starts a fresh broker on the same port: retained messages and sessions are gone, as after a restart.</summary>
    public async Task StartServerAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        server.InterceptingPublishAsync += Record;
        await server.StartAsync();
        _server = server;

        // A subscriber to everything, as the Server is: agents keep batches nobody received.
        var listener = new MqttClientFactory().CreateMqttClient();
        await listener.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("test-listener").Build());
        await listener.SubscribeAsync("#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        _listener = listener;
    }

    public async Task StopServerAsync()
    {
        if (_listener is { } listener)
        {
            _listener = null;
            listener.Dispose();
        }

        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(new MqttServerStopOptionsBuilder().Build());
            server.InterceptingPublishAsync -= Record;
            server.Dispose();
        }
    }

    public IReadOnlyList<PublishedMessage> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    public IReadOnlyList<ReadingBatch> Batches(string agentId) =>
        [.. Published.Where(m => m.Topic == Topics.AgentReadings(agentId))
            .Select(m => JsonSerializer.Deserialize(m.Payload, ProtocolJsonContext.Default.ReadingBatch)!)];

    public IReadOnlyList<AgentStatusMessage> Statuses(string agentId) =>
        [.. Published.Where(m => m.Topic == Topics.AgentStatus(agentId))
            .Select(m => JsonSerializer.Deserialize(m.Payload, ProtocolJsonContext.Default.AgentStatusMessage)!)];

    /// <summary>The retained status of an agent as a late subscriber would get it, or null.</summary>
    public async Task<AgentStatusMessage?> RetainedStatusAsync(string agentId)
    {
        var server = _server ?? throw new InvalidOperationException("The broker is stopped.");
        var retained = await server.GetRetainedMessagesAsync();
        var message = retained.SingleOrDefault(m => m.Topic == Topics.AgentStatus(agentId));
        return message is null
            ? null
            : JsonSerializer.Deserialize(message.Payload.ToArray(), ProtocolJsonContext.Default.AgentStatusMessage);
    }

    public async ValueTask DisposeAsync() => await StopServerAsync();

    private Task Record(InterceptingPublishEventArgs e)
    {
        var message = new PublishedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain);
        lock (_gate)
        {
            _published.Add(message);
        }

        return Task.CompletedTask;
    }

    public static int FreeTcpPort() => FreePort();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record PublishedMessage(string Topic, byte[] Payload, bool Retain);
