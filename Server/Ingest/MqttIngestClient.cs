using System.Text.Json;
using System.Threading.Channels;
using Clovers.Monitor.Server.Diagnostics;
using Clovers.Monitor.Server.Mqtt;
using Clovers.Monitor.Server.Spectra;
using Clovers.Monitor.Server.Mqtt.Security;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>
/// The Server's one MQTT connection for ingest: subscribes to every agent's status and readings,
/// validates each message and passes it on. Reconnects by itself with capped backoff. A bad
/// message is counted and logged (rate-limited) and never stops the loop.
/// <para>
/// The session is persistent (fixed client id, no clean start, a session expiry), and a message
/// is acknowledged only once its readings are committed: the item carries a
/// <see cref="DurableSignal"/> that the store writer sets, and one loop sends the PUBACKs in
/// arrival order. Until then the broker keeps the message and delivers it again after a crash;
/// with at most <see cref="MqttOptions.ReceiveMaximum"/> unacknowledged, a slow store slows the
/// broker instead of filling memory. Batches already received are dropped by sequence number
/// (<see cref="SequenceTracker"/>), also across restarts (<see cref="SequenceStore"/>).
/// </para>
/// </summary>
public sealed class MqttIngestClient : BackgroundService
{
    private readonly MqttOptions _options;
    private readonly MessageValidator _validator;
    private readonly DaqIngest _daq;
    private readonly IngestPipeline _pipeline;
    private readonly IngestCounters _counters;
    private readonly SequenceTracker _sequences;
    private readonly SequenceStore _sequenceStore;
    private readonly Channel<PendingAck> _acks;
    private readonly TimeProvider _time;
    private readonly PerKeyThrottle _rateLimit;
    private readonly PerKeyThrottle _rebirthLimit;
    private readonly ILogger<MqttIngestClient> _logger;
    private readonly IMqttClient _client;
    private readonly MqttLogin _login;
    private int _generation;
    private bool _primed;
    private long _acknowledged;
    private long _duplicates;

    public MqttIngestClient(
        IOptions<MqttOptions> options,
        InProcessMqttLogins logins,
        MessageValidator validator,
        DaqIngest daq,
        IngestPipeline pipeline,
        IngestCounters counters,
        SequenceTracker sequences,
        SequenceStore sequenceStore,
        TimeProvider time,
        ILogger<MqttIngestClient> logger)
    {
        _sequences = sequences;
        _sequenceStore = sequenceStore;
        _options = options.Value;
        _login = logins.ForServer();
        _validator = validator;
        _daq = daq;
        _pipeline = pipeline;
        _counters = counters;
        _time = time;
        _rateLimit = new PerKeyThrottle(time, TimeSpan.FromSeconds(10));
        _rebirthLimit = new PerKeyThrottle(time, TimeSpan.FromSeconds(5));
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;

        // The broker sends at most ReceiveMaximum unacknowledged messages; the margin covers
        // messages of a previous connection still waiting for their store.
        _acks = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(_options.ReceiveMaximum * 2)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Messages acknowledged to the broker after their readings were stored.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Batches dropped because their sequence number was already received.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Messages received and not yet acknowledged.</summary>
    public int PendingAcknowledgements => _acks.Reader.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _sequences.Load(await _sequenceStore.LoadAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(ConnectLoopAsync(stoppingToken), AcknowledgeLoopAsync(stoppingToken), PersistSequencesLoopAsync(stoppingToken));
    }

    private async Task ConnectLoopAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(_options.ReconnectMinSeconds);
        var maxDelay = TimeSpan.FromSeconds(_options.ReconnectMaxSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await _client.TryPingAsync(stoppingToken))
                {
                    // The embedded broker starts empty with the Server: nothing retained, no session to resume.
                    if (!_primed && !_options.IsEmbedded)
                    {
                        await PrimeDeclarationsAsync(stoppingToken);
                        _primed = true;
                    }

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
        await PersistSequencesAsync(cancellationToken);
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
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpirySeconds)
            .WithReceiveMaximum((ushort)_options.ReceiveMaximum)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_login.Username is not null)
        {
            builder = builder.WithCredentials(_login.Username, _login.Password);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));

        // Acknowledgements of the previous connection must not reach this one: packet ids repeat.
        Interlocked.Increment(ref _generation);
        await _client.ConnectAsync(builder.Build(), timeout.Token);
        var subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(Topics.AllAgentStatus).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .WithTopicFilter(f => f.WithTopic(_options.SubscriptionFilter(Topics.AllAgentReadings)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .WithTopicFilter(f => f.WithTopic(Topics.AllDaqStatus).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .WithTopicFilter(f => f.WithTopic(Topics.AllDaqHistograms).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        await _client.SubscribeAsync(subscribe, timeout.Token);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        // Acknowledged by AcknowledgeLoopAsync, in order, once what the message carries is stored.
        args.AutoAcknowledge = false;
        var generation = Volatile.Read(ref _generation);
        if (DaqIngest.IsDaqTopic(args.ApplicationMessage.Topic))
        {
            // Histograms are cumulative and the spectra store keeps the latest: a redelivery after
            // a crash is ignored as a stale sequence, so these need no wait for a store commit.
            _counters.MessageReceived();
            await _daq.IngestAsync(args.ApplicationMessage.Topic, args.ApplicationMessage.Payload, CancellationToken.None);
            await _acks.Writer.WriteAsync(new PendingAck(args, generation, null), CancellationToken.None);
            return;
        }

        var (item, rebirthFor) = Accept(args.ApplicationMessage);
        if (rebirthFor is not null)
        {
            await RequestRebirthAsync(rebirthFor);
        }

        if (item is null)
        {
            await _acks.Writer.WriteAsync(new PendingAck(args, generation, null), CancellationToken.None);
            return;
        }

        var durable = item is AcceptedReadings ? new DurableSignal() : null;
        var tracked = durable is null ? item : ((AcceptedReadings)item) with { Durable = durable };

        // The acknowledgement is queued first, so it cannot overtake a later message's.
        await _acks.Writer.WriteAsync(new PendingAck(args, generation, tracked as AcceptedReadings), CancellationToken.None);

        // Waits while the pipeline is full: back-pressure reaches the broker, not memory.
        await _pipeline.PublishAsync(tracked, CancellationToken.None);
    }

    /// <summary>Validates and deduplicates one message: the item to pass on (null when nothing goes on) and the agent to ask for a birth.</summary>
    private (IngestItem? Item, string? RebirthFor) Accept(MqttApplicationMessage message)
    {
        _counters.MessageReceived();
        var result = _validator.Validate(message.Topic, message.Payload, _time.GetUtcNow());
        if (result.Item is null)
        {
            var reason = result.RejectionReason ?? RejectionReasons.MalformedJson;
            _counters.MessageRejected(reason, result.SourceId);
            LogRejection(reason, result.SourceId, result.Detail);
            return (null, null);
        }

        if (result.Item is AcceptedReadings readings)
        {
            var verdict = _sequences.Observe(readings.AgentId, readings.Seq);
            if (verdict.IsDuplicate)
            {
                // A replay (lost acknowledgement) or a redelivery: already stored, counted once.
                Interlocked.Increment(ref _duplicates);
                _counters.MessageRejected(RejectionReasons.StaleSequence, readings.AgentId);
                LogRejection(RejectionReasons.StaleSequence, readings.AgentId, $"batch {readings.Seq} was already received");
                return (null, null);
            }

            if (verdict.IsRestart)
            {
                _logger.LogWarning("Agent {Agent} numbers its batches again from {Seq}, far below what it sent before; taken as a new series", readings.AgentId, readings.Seq);
            }

            _counters.SequenceGaps(verdict.Skipped);
        }

        foreach (var rejection in result.RejectedReadings)
        {
            _counters.ReadingRejected(rejection.Reason, result.SourceId);
            LogRejection(rejection.Reason, result.SourceId, $"reading of '{rejection.Channel}' refused");
        }

        if (result.Item is AcceptedReadings accepted)
        {
            _counters.MessageAccepted(accepted.Readings.Count);
        }
        else
        {
            // A (re)birth may start a new sequence: an agent restart is not a gap.
            _sequences.Rebirth(result.Item.AgentId);
            _counters.MessageAccepted(0);
        }

        return (result.Item, result.BirthMissing ? result.SourceId : null);
    }

    /// <summary>
    /// Sends the PUBACKs in the order the messages came, each once its readings are committed,
    /// and notes the batch as durable for the sequence high-water mark.
    /// </summary>
    private async Task AcknowledgeLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var pending in _acks.Reader.ReadAllAsync(stoppingToken))
            {
                if (pending.Readings is { Durable: { } durable } readings)
                {
                    await durable.Written.WaitAsync(stoppingToken);
                    _sequences.MarkDurable(readings.AgentId, readings.Seq);
                }

                if (pending.Generation != Volatile.Read(ref _generation) || !_client.IsConnected)
                {
                    // Its connection is gone; the broker delivers the message again and it is dropped as a duplicate.
                    continue;
                }

                try
                {
                    await pending.Args.AcknowledgeAsync(stoppingToken);
                    Interlocked.Increment(ref _acknowledged);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    if (_rateLimit.TryPass("ack", out var suppressed))
                    {
                        _logger.LogWarning("Could not acknowledge an MQTT message: {Reason} ({Suppressed} similar not logged); the broker will deliver it again", exception.Message, suppressed);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Unacknowledged messages stay with the broker's session.
        }
    }

    /// <summary>Writes the durable high-water marks to state.db every second (and at stop).</summary>
    private async Task PersistSequencesLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PersistSequencesAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PersistSequencesAsync(CancellationToken cancellationToken)
    {
        var dirty = _sequences.TakeDirty();
        try
        {
            await _sequenceStore.SaveAsync(dirty, _time.GetUtcNow(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Not fatal: a replay of these batches then reaches the idempotent store once more.
            _sequences.Unpersisted(dirty);

            if (_rateLimit.TryPass("sequences", out var suppressed))
            {
                _logger.LogWarning("Could not persist sequence marks: {Reason} ({Suppressed} similar not logged)", exception.Message, suppressed);
            }
        }
    }

    /// <summary>
    /// Reads the retained births before the persistent session resumes. The broker delivers what
    /// it queued for the session right after the connect, before any subscription answers with
    /// retained births, and readings of channels not yet declared would be refused: after a
    /// restart of the Server the declarations must come first.
    /// </summary>
    private async Task PrimeDeclarationsAsync(CancellationToken cancellationToken)
    {
        var births = Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(MessageValidator.MaxAgents + 16)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += args =>
        {
            if (args.ApplicationMessage.Retain)
            {
                births.Writer.TryWrite(args.ApplicationMessage);
            }

            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId + "-births")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_login.Username is not null)
        {
            builder = builder.WithCredentials(_login.Username, _login.Password);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(builder.Build(), timeout.Token);
        await client.SubscribeAsync(Topics.AllAgentStatus, MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);

        // Retained messages follow the subscription at once; a quiet half second means all came.
        var primed = 0;
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            quiet.CancelAfter(TimeSpan.FromMilliseconds(500));
            MqttApplicationMessage message;
            try
            {
                message = await births.Reader.ReadAsync(quiet.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var (item, _) = Accept(message);
            if (item is not null)
            {
                await _pipeline.PublishAsync(item, cancellationToken);
                primed++;
            }
        }

        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        _logger.LogInformation("Read {Count} retained agent statuses before resuming the ingest session", primed);
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        Interlocked.Increment(ref _generation);
        return Task.CompletedTask;
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

    /// <summary>A received message waiting for its acknowledgement; <see cref="Readings"/> is set when it must be stored first.</summary>
    private sealed record PendingAck(MqttApplicationMessageReceivedEventArgs Args, int Generation, AcceptedReadings? Readings);
}
