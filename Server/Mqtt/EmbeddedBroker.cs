using System.Net;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Ingest;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Mqtt;

/// <summary>
/// The in-process MQTT 5 broker of the embedded default. It is started before the ingest client
/// and the demo agent (hosted services start in registration order) and stopped after them.
/// </summary>
public sealed class EmbeddedBroker : IHostedService, IAsyncDisposable
{
    private readonly MqttOptions _options;
    private readonly ILogger<EmbeddedBroker> _logger;
    private readonly MqttBrokerSecurity _security;
    private readonly IngestCounters _counters;
    private MqttServer? _server;
    private long _ingestInFlight;
    private long _refusedOversize;

    public EmbeddedBroker(IOptions<MqttOptions> options, MqttBrokerSecurity security, IngestCounters counters, ILogger<EmbeddedBroker> logger)
    {
        _options = options.Value;
        _security = security;
        _logger = logger;
        _counters = counters;
    }

    /// <summary>Messages refused by the broker for exceeding <see cref="MqttOptions.MaxMessageBytes"/>.</summary>
    public long RefusedOversize => Interlocked.Read(ref _refusedOversize);

    /// <summary>Messages delivered to the Server's ingest client and not yet acknowledged by it.</summary>
    public long IngestInFlight => Interlocked.Read(ref _ingestInFlight);

    /// <summary>Number of MQTT clients connected right now (agents, DAQs and the ingest client).</summary>
    public async Task<int> CountClientsAsync()
    {
        var server = _server;
        return server is null ? 0 : (await server.GetClientsAsync()).Count;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(_options.Host))
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(_options.Port)
            .Build();
        ApplyLimits(options);
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += AssignClientIdWhenEmpty;
        AttachSecurity(_server);
        AttachLimits(_server);
        await _server.StartAsync();
        _logger.LogInformation("Embedded MQTT broker listening on {Host}:{Port}", _options.Host, _options.Port);
    }

    /// <summary>
    /// MQTT 5 lets a client connect without an id and have the broker assign one (mosquitto_pub
    /// does so); MQTTnet refuses that unless the id is assigned here.
    /// </summary>
    private static Task AssignClientIdWhenEmpty(ValidatingConnectionEventArgs args)
    {
        if (string.IsNullOrEmpty(args.ClientId))
        {
            args.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
        }

        return Task.CompletedTask;
    }

    /// <summary>Authentication and the ACL (<see cref="MqttBrokerSecurity"/>); anonymous clients only when <c>Mqtt:AllowAnonymous</c>.</summary>
    private void AttachSecurity(MqttServer server)
    {
        _security.Attach(server);
        if (_options.AllowAnonymous)
        {
            _logger.LogWarning("Embedded MQTT broker accepts anonymous clients (Mqtt:AllowAnonymous): fine for a demo, not where real agents connect");
        }
    }

    /// <summary>
    /// Queue limits: a bounded queue per client, and persistent sessions so the ingest client's
    /// session (no clean start) keeps its queue across a reconnect.
    /// </summary>
    private void ApplyLimits(MqttServerOptions options)
    {
        options.MaxPendingMessagesPerClient = _options.MaxPendingMessagesPerClient;
        options.PendingMessagesOverflowStrategy = MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage;
        options.EnablePersistentSessions = true;
    }

    /// <summary>
    /// The broker-side maximum message size, and flow control towards the ingest client. MQTTnet's
    /// broker ignores a client's receive maximum, so it would push messages into the ingest
    /// client's unbounded receive queue however slowly they are stored. Here the broker counts
    /// what it delivered to ingest and ingest has not yet acknowledged (it acknowledges after the
    /// store committed), and while that reaches <see cref="MqttOptions.ReceiveMaximum"/> a
    /// publisher's message waits before it is accepted, so the publisher's PUBACK waits too:
    /// back-pressure reaches the agents, whose outboxes keep the data.
    /// </summary>
    private void AttachLimits(MqttServer server)
    {
        var ingestClientId = _options.ClientId;
        var window = _options.ReceiveMaximum;
        server.InterceptingPublishAsync += async args =>
        {
            if (args.ApplicationMessage.Payload.Length > _options.MaxMessageBytes)
            {
                args.ProcessPublish = false;
                args.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
                args.Response.ReasonString = $"message larger than {_options.MaxMessageBytes} bytes";
                Interlocked.Increment(ref _refusedOversize);
                _counters.MessageReceived();
                _counters.MessageRejected(RejectionReasons.Oversize, "(broker)");
                return;
            }

            if (string.Equals(args.ClientId, ingestClientId, StringComparison.Ordinal))
            {
                return;
            }

            // Bounded wait (below the agents' 10 s publish timeout): a miscount must not stall publishers for good.
            for (var waited = 0; Volatile.Read(ref _ingestInFlight) >= window && waited < 5000 && !args.CancellationToken.IsCancellationRequested; waited += 5)
            {
                await Task.Delay(5, CancellationToken.None);
            }
        };
        server.ApplicationMessageEnqueuedOrDroppedAsync += args =>
        {
            if (!args.IsDropped
                && args.ApplicationMessage.QualityOfServiceLevel > MqttQualityOfServiceLevel.AtMostOnce
                && string.Equals(args.ReceiverClientId, ingestClientId, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _ingestInFlight);
            }

            return Task.CompletedTask;
        };
        server.ClientAcknowledgedPublishPacketAsync += args =>
        {
            if (string.Equals(args.ClientId, ingestClientId, StringComparison.Ordinal)
                && Interlocked.Decrement(ref _ingestInFlight) < 0)
            {
                // Acknowledgements of redelivered messages were never counted in.
                Interlocked.Exchange(ref _ingestInFlight, 0);
            }

            return Task.CompletedTask;
        };
        server.ClientConnectedAsync += args => ResetWhenIngest(args.ClientId);
        server.ClientDisconnectedAsync += args => ResetWhenIngest(args.ClientId);
    }

    private Task ResetWhenIngest(string clientId)
    {
        if (string.Equals(clientId, _options.ClientId, StringComparison.Ordinal))
        {
            Interlocked.Exchange(ref _ingestInFlight, 0);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            try
            {
                await _server.StopAsync();
            }
            catch (InvalidOperationException exception)
            {
                // MQTTnet can trip over its own session list when clients leave while it stops;
                // the broker is going away either way, so this must not fail the shutdown.
                _logger.LogWarning("Embedded MQTT broker stopped untidily: {Reason}", exception.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(CancellationToken.None);
            _server.Dispose();
            _server = null;
        }
    }
}
