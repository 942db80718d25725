using System.Collections.Concurrent;
using System.Text.Json;
using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Server.Control;

/// <summary>
/// The Server's MQTT connection for control: publishes requests as MQTT 5 requests (response
/// topic and correlation data) on an agent's commands topic and matches the replies that come
/// back on its replies topic. A request without a reply within its timeout answers null (the
/// outcome is unknown). Reconnects by itself; a request made while disconnected fails at once.
/// </summary>
public sealed partial class ControlRequester : BackgroundService
{
    /// <summary>Requests waiting for a reply at most; more are refused rather than queued.</summary>
    public const int MaxInFlight = 32;

    private readonly MqttOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ControlRequester> _logger;
    private readonly MqttLogin _login;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ControlReply>> _waiting = new(StringComparer.Ordinal);

    public ControlRequester(IOptions<MqttOptions> options, InProcessMqttLogins logins, TimeProvider time, ILogger<ControlRequester> logger)
    {
        _options = options.Value;
        _login = logins.ForServer();
        _time = time;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnReplyAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Publishes <paramref name="request"/> to <paramref name="agentId"/> and waits for its reply; null when none came within <paramref name="timeout"/>.</summary>
    /// <exception cref="InvalidOperationException">Not connected to the broker, too many requests in flight, or the broker refused the request.</exception>
    public async Task<ControlReply?> RequestAsync(string agentId, ControlRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_client.IsConnected)
        {
            throw new InvalidOperationException("the Server is not connected to the MQTT broker");
        }

        if (_waiting.Count >= MaxInFlight)
        {
            throw new InvalidOperationException($"{MaxInFlight} control requests are already waiting for replies");
        }

        // A fresh correlation per attempt: a late reply to an earlier attempt cannot complete this one.
        var correlation = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<ControlReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[correlation] = reply;
        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topics.AgentCommands(agentId))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest))
                .WithContentType("application/json")
                .WithResponseTopic(Topics.AgentReplies(agentId))
                .WithCorrelationData(System.Text.Encoding.ASCII.GetBytes(correlation))
                .WithMessageExpiryInterval((uint)Math.Ceiling(timeout.TotalSeconds))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var published = await _client.PublishAsync(message, cancellationToken);
            if (!published.IsSuccess)
            {
                throw new InvalidOperationException($"the broker refused the request: {published.ReasonCode} {published.ReasonString}".TrimEnd());
            }

            try
            {
                var answer = await reply.Task.WaitAsync(timeout, _time, cancellationToken);
                return string.Equals(answer.CommandId, request.CommandId, StringComparison.Ordinal)
                    ? answer
                    : throw new InvalidOperationException($"agent {agentId} answered for command '{answer.CommandId}' instead of '{request.CommandId}'");
            }
            catch (TimeoutException)
            {
                Log.NoReply(_logger, request.CommandId, agentId, timeout.TotalSeconds);
                return null;
            }
        }
        finally
        {
            _waiting.TryRemove(correlation, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(_options.ReconnectMinSeconds);
        var maxDelay = TimeSpan.FromSeconds(_options.ReconnectMaxSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await _client.TryPingAsync(stoppingToken))
                {
                    await ConnectAndSubscribeAsync(stoppingToken);
                    Log.Connected(_logger, _options.Host, _options.Port);
                }

                delay = TimeSpan.FromSeconds(_options.ReconnectMinSeconds);
                await Task.Delay(TimeSpan.FromSeconds(2), _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                Log.ConnectFailed(_logger, _options.Host, _options.Port, exception.GetBaseException().Message);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken);
        }
    }

    public override void Dispose()
    {
        _client.ApplicationMessageReceivedAsync -= OnReplyAsync;
        _client.Dispose();
        base.Dispose();
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId + "-control")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_login.Username is not null)
        {
            builder = builder.WithCredentials(_login.Username, _login.Password);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await _client.ConnectAsync(builder.Build(), timeout.Token);
        await _client.SubscribeAsync(Topics.AgentsPrefix + "+/" + Topics.RepliesSuffix, MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);
    }

    private Task OnReplyAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        if (message.CorrelationData is not { Length: > 0 } correlationData)
        {
            return Task.CompletedTask;
        }

        var correlation = System.Text.Encoding.ASCII.GetString(correlationData);
        if (!_waiting.TryGetValue(correlation, out var waiting))
        {
            // A reply after its timeout: the command stays unknown until retried with its id.
            Log.LateReply(_logger, message.Topic);
            return Task.CompletedTask;
        }

        try
        {
            var reader = new Utf8JsonReader(message.Payload);
            if (JsonSerializer.Deserialize(ref reader, ControlJsonContext.Default.ControlReply) is { } reply)
            {
                waiting.TrySetResult(reply);
            }
        }
        catch (JsonException ex)
        {
            Log.BadReply(_logger, message.Topic, ex.Message);
        }

        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Control connected to MQTT broker {Host}:{Port}")]
        public static partial void Connected(ILogger logger, string host, int port);

        [LoggerMessage(2, LogLevel.Warning, "Control cannot reach MQTT broker {Host}:{Port}: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string host, int port, string reason);

        [LoggerMessage(3, LogLevel.Warning, "No reply to control command {CommandId} from agent {AgentId} within {Seconds} s: outcome unknown")]
        public static partial void NoReply(ILogger logger, string commandId, string agentId, double seconds);

        [LoggerMessage(4, LogLevel.Information, "A control reply on {Topic} came after its request gave up waiting")]
        public static partial void LateReply(ILogger logger, string topic);

        [LoggerMessage(5, LogLevel.Warning, "Ignored a malformed control reply on {Topic}: {Reason}")]
        public static partial void BadReply(ILogger logger, string topic, string reason);
    }
}
