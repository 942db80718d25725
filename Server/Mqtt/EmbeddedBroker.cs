using System.Net;
using Clovers.Monitor.Server.Mqtt.Security;
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
    private MqttServer? _server;

    public EmbeddedBroker(IOptions<MqttOptions> options, MqttBrokerSecurity security, ILogger<EmbeddedBroker> logger)
    {
        _options = options.Value;
        _security = security;
        _logger = logger;
    }

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
            .WithMaxPendingMessagesPerClient(10_000)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += AssignClientIdWhenEmpty;
        AttachSecurity(_server);
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
