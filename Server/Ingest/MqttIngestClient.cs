using System.Text.Json;
using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// The Server's one MQTT connection for ingest: subscribes to every agent's status and readings,
/// validates each message and passes it on. Reconnects by itself with capped backoff. A bad
/// message is counted and logged (rate-limited) and never stops the loop.
/// </summary>
public sealed class MqttIngestClient : BackgroundService
{
    private readonly MqttOptions _options;
    private readonly MessageValidator _validator;
    private readonly IngestPipeline _pipeline;
    private readonly IngestCounters _counters;
    private readonly SequenceTracker _sequences = new();
    private readonly TimeProvider _time;
    private readonly PerKeyThrottle _rateLimit;
    private readonly PerKeyThrottle _rebirthLimit;
    private readonly ILogger<MqttIngestClient> _logger;
    private readonly IMqttClient _client;

    public MqttIngestClient(
        IOptions<MqttOptions> options,
        MessageValidator validator,
        IngestPipeline pipeline,
        IngestCounters counters,
        TimeProvider time,
        ILogger<MqttIngestClient> logger)
    {
        _options = options.Value;
        _validator = validator;
        _pipeline = pipeline;
        _counters = counters;
        _time = time;
        _rateLimit = new PerKeyThrottle(time, TimeSpan.FromSeconds(10));
        _rebirthLimit = new PerKeyThrottle(time, TimeSpan.FromSeconds(5));
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public bool IsConnected => _client.IsConnected;

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
                    _logger.LogInformation("Ingest connected to MQTT broker {Host}:{Port}", _options.Host, _options.Port);
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
                if (_rateLimit.TryPass("connect", out var suppressed))
                {
                    _logger.LogWarning("Ingest cannot reach MQTT broker {Host}:{Port}: {Reason} (retrying every ≤ {Max} s; {Suppressed} attempts not logged)", _options.Host, _options.Port, exception.Message, maxDelay.TotalSeconds, suppressed);
                }

                await Task.Delay(delay, _time, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
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
        _client.Dispose();
        base.Dispose();
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.Password);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await _client.ConnectAsync(builder.Build(), timeout.Token);
        var subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(Topics.AllAgentStatus).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .WithTopicFilter(f => f.WithTopic(_options.SubscriptionFilter(Topics.AllAgentReadings)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        await _client.SubscribeAsync(subscribe, timeout.Token);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        _counters.MessageReceived();
        var message = args.ApplicationMessage;
        var result = _validator.Validate(message.Topic, message.Payload, _time.GetUtcNow());
        if (result.Item is null)
        {
            var reason = result.RejectionReason ?? RejectionReasons.MalformedJson;
            _counters.MessageRejected(reason, result.SourceId);
            LogRejection(reason, result.SourceId, result.Detail);
            return;
        }

        foreach (var rejection in result.RejectedReadings)
        {
            _counters.ReadingRejected(rejection.Reason, result.SourceId);
            LogRejection(rejection.Reason, result.SourceId, $"reading of '{rejection.Channel}' refused");
        }

        if (result.BirthMissing)
        {
            await RequestRebirthAsync(result.SourceId);
        }

        if (result.Item is AcceptedReadings readings)
        {
            _counters.MessageAccepted(readings.Readings.Count);
            _counters.SequenceGaps(_sequences.Observe(readings.AgentId, readings.Seq));
        }
        else
        {
            // A (re)birth starts a new sequence: an agent restart is not a gap.
            _sequences.Forget(result.Item.AgentId);
            _counters.MessageAccepted(0);
        }

        // Waits while the pipeline is full: back-pressure reaches the broker, not memory.
        await _pipeline.PublishAsync(result.Item, CancellationToken.None);
    }

    private async Task RequestRebirthAsync(string agentId)
    {
        if (!_rebirthLimit.TryPass(agentId, out _))
        {
            return;
        }

        try
        {
            var command = new AgentCommand(ProtocolRules.SchemaVersion, AgentCommands.Rebirth, _time.GetUtcNow());
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topics.AgentCommands(agentId))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJsonContext.Default.AgentCommand))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await _client.PublishAsync(message, CancellationToken.None);
            _logger.LogInformation("Asked agent {Agent} to publish its birth again: its readings arrived before any birth", agentId);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogWarning("Could not ask agent {Agent} for a rebirth: {Reason}", agentId, exception.Message);
        }
    }

    private void LogRejection(string reason, string source, string? detail)
    {
        if (_rateLimit.TryPass(reason + "|" + source, out var suppressed))
        {
            _logger.LogWarning("Rejected MQTT input from {Source}: {Reason}: {Detail} ({Suppressed} similar not logged)", source, reason, detail, suppressed);
        }
    }
}
