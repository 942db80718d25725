using System.Net;
using System.Net.Sockets;
using System.Text;
using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Mqtt.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Server.Tests.Mqtt;

/// <summary>The embedded broker with its security on a free loopback port, and real MQTTnet clients against it.</summary>
internal sealed class SecuredBroker : IAsyncDisposable
{
    public const string AgentA = "platform-1";
    public const string AgentB = "platform-2";
    public const string Daq = "daq-1";
    public const string Reader = "watcher";

    /// <summary>Hashing is slow on purpose; one hash at the minimum cost serves every account of a test.</summary>
    private static readonly Lazy<string> s_hash = new(() => MqttPasswordHasher.Hash(Password, iterations: 10_000));

    private readonly List<IMqttClient> _clients = [];
    private readonly EmbeddedBroker _broker;

    private SecuredBroker(MqttOptions options)
    {
        Options = options;
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        Logins = new InProcessMqttLogins(wrapped);
        var security = new MqttBrokerSecurity(wrapped, Logins, Counters, TimeProvider.System, NullLogger<MqttBrokerSecurity>.Instance);
        _broker = new EmbeddedBroker(wrapped, security, new IngestCounters(TimeProvider.System), NullLogger<EmbeddedBroker>.Instance);
    }

    public const string Password = "correct-horse-battery";

    public MqttOptions Options { get; }

    public InProcessMqttLogins Logins { get; }

    public MqttRefusalCounters Counters { get; } = new();

    public static async Task<SecuredBroker> StartAsync(bool allowAnonymous = false)
    {
        var options = new MqttOptions
        {
            Host = "127.0.0.1",
            Port = FreeTcpPort(),
            AllowAnonymous = allowAnonymous,
            Accounts =
            [
                Account(AgentA, MqttRoles.Agent),
                Account(AgentB, MqttRoles.Agent),
                Account(Daq, MqttRoles.Daq),
                Account(Reader, MqttRoles.Reader),
            ],
        };
        var broker = new SecuredBroker(options);
        await broker._broker.StartAsync(CancellationToken.None);
        return broker;
    }

    public static MqttAccountOptions Account(string username, string role) =>
        new() { Username = username, Role = role, PasswordHash = s_hash.Value };

    public async Task<MqttClientConnectResultCode> ConnectResultAsync(string? username, string? password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        var result = await client.ConnectAsync(Build(username, password));
        return result.ResultCode;
    }

    /// <summary>A connected client of a configured account (or an internal login).</summary>
    public async Task<IMqttClient> ConnectAsync(string? username, string? password = Password, string? will = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        await client.ConnectAsync(Build(username, password, will));
        return client;
    }

    /// <summary>Drops the client's connection without a DISCONNECT, as a crash would: the broker then publishes its will.</summary>
    public void Abandon(IMqttClient client)
    {
        _clients.Remove(client);
        client.Dispose();
    }

    public static Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, string payload = "{\"schema\":1}") =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }

            client.Dispose();
        }

        await _broker.DisposeAsync();
    }

    private MqttClientOptions Build(string? username, string? password, string? will = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Options.Port)
            .WithClientId("test-" + Guid.NewGuid().ToString("N"))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (username is not null)
        {
            builder = builder.WithCredentials(username, password);
        }

        if (will is not null)
        {
            builder = builder.WithWillTopic(will).WithWillPayload("{\"schema\":1}"u8.ToArray()).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return builder.Build();
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
