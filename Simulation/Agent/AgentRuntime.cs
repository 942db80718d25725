using System.Text.Json;
using System.Threading.Channels;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Drivers;
using Clovers.Monitor.Simulation.Mqtt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Clovers.Monitor.Simulation.Agent;

/// <summary>
/// Publishes a platform over MQTT 5: a retained birth message on every (re)connect, a retained
/// offline status as last will and on a clean stop, and one QoS 1 <see cref="ReadingBatch"/> per
/// sample interval. Batches go through the outbox, so an outage of the broker loses nothing
/// (as long as the outbox holds it): a sampler loop fills the outbox whatever the connection
/// does, a publisher loop (re)connects and drains it in order.
/// </summary>
public sealed partial class AgentRuntime : IAsyncDisposable
{
    /// <summary>Readings per batch: 1000 stay far below <see cref="ProtocolRules.MaxPayloadBytes"/>.</summary>
    public const int MaxReadingsPerBatch = 1000;

    private static readonly TimeSpan s_flushBudget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_noSubscriberRetry = TimeSpan.FromSeconds(1);

    // Control requests wait here for the command loop; an operator sends a handful at most.
    private const int ControlQueueCapacity = 16;

    private readonly AgentOptions _options;
    private readonly IPlatformDriver _driver;
    private readonly IReadingOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentRuntime> _logger;
    private readonly IMqttClient _client;
    private volatile IReadOnlyList<ChannelDescriptor> _channels;
    private readonly HashSet<string>? _channelFilter;
    private readonly string _version;
    private readonly TimeSpan _historicalAfter;
    private readonly IControlHandler? _control;
    private readonly Channel<PendingControl> _controlQueue =
        Channel.CreateBounded<PendingControl>(new BoundedChannelOptions(ControlQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly string _outboxDepthChannel;
    private readonly string _outboxDroppedChannel;
    private long _droppedLogged;
    private DateTimeOffset _dropLoggedAt = DateTimeOffset.MinValue;
    private TaskCompletionSource _wake = NewSignal();
    private long _nextSeq;
    private long _published;
    private long _rejected;
    private long _errors;
    private long _connectFailures;
    private long _noSubscriber;
    private int _running;
    private volatile bool _silenced;
    private volatile bool _stopping;
    private volatile bool _rebirthRequested;

    public AgentRuntime(
        AgentOptions options,
        IPlatformDriver driver,
        IReadingOutbox outbox,
        TimeProvider time,
        ILogger<AgentRuntime> logger,
        IControlHandler? control = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);

        // Callers outside the host (the server's demo mode) get the same checks as the EdgeAgent.
        var validation = new AgentOptionsValidator(_ => driver.Channels.Select(c => c.Id)).Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(AgentOptions.SectionName, typeof(AgentOptions), validation.Failures);
        }

        _options = options;
        _driver = driver;
        _outbox = outbox;
        _time = time;
        _logger = logger;
        _channelFilter = options.Channels is { Count: > 0 } wanted ? wanted.ToHashSet(StringComparer.Ordinal) : null;
        _outboxDepthChannel = OutboxDepthChannel(options.AgentId);
        _outboxDroppedChannel = OutboxDroppedChannel(options.AgentId);
        _channels = DescribeChannels();
        _version = MqttPublishing.Version(options.Version);
        _historicalAfter = TimeSpan.FromSeconds(2 * options.SampleIntervalSeconds);
        _control = control;

        // Handlers are attached before the first connect, so no event is missed.
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnCommandAsync;
    }

    public bool Connected => _client.IsConnected;

    /// <summary>Batches the broker acknowledged.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Batches the broker refused with a reason code; they are dropped, not retried.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Failures caught inside the loops (driver reads, publishes).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Publishes the broker answered with "no matching subscribers"; the batch was kept and sent again.</summary>
    public long NoSubscriberRetries => Interlocked.Read(ref _noSubscriber);

    public int OutboxDepth => _outbox.Count;

    /// <summary>Batches waiting in the outbox, published with every batch so the Server sees the backlog.</summary>
    public static string OutboxDepthChannel(string agentId) => $"agent.{agentId}.outbox_depth";

    /// <summary>Batches the outbox dropped over its budget since it was created (persisted by a durable outbox).</summary>
    public static string OutboxDroppedChannel(string agentId) => $"agent.{agentId}.outbox_dropped";

    /// <summary>The agent's own channels about its outbox, declared in every birth.</summary>
    public static IReadOnlyList<ChannelDescriptor> OutboxChannels(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            new ChannelDescriptor(
                OutboxDepthChannel(options.AgentId), "batches", $"Batches of agent {options.AgentId} waiting to be published",
                ChannelGroup.Agent, new Band(0, null), options.SampleIntervalSeconds),
            new ChannelDescriptor(
                OutboxDroppedChannel(options.AgentId), "batches", $"Batches agent {options.AgentId} dropped because its outbox was full",
                ChannelGroup.Agent, new Band(0, 0), options.SampleIntervalSeconds)
            { Warn = new Band(null, 0) },
        ];
    }

    /// <summary>
    /// The <c>agent-silent</c> fault: while true the agent stays connected but publishes
    /// nothing (no batches, no birth after a reconnect). Sampling goes on into the outbox, which
    /// is replayed once the agent speaks again. A stop still publishes the offline status.
    /// </summary>
    public bool Silenced
    {
        get => _silenced;
        set
        {
            _silenced = value;
            Wake();
        }
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled, then says goodbye (offline status) and disconnects.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("The agent runtime is already running.");
        }

        // Right after the last number a durable outbox remembers, so a restart leaves no gap and
        // does not depend on the clock; without one, Unix milliseconds at start, which stay above
        // the numbers of an earlier run (it published at most one batch per millisecond).
        var last = _outbox.LastSequence;
        _nextSeq = last > 0 ? last + 1 : _time.GetUtcNow().ToUnixTimeMilliseconds();
        Log.Starting(_logger, _options.AgentId, _options.BrokerHost, _options.BrokerPort, _channels.Count, _options.SampleIntervalSeconds);
        Log.Numbering(_logger, _nextSeq, _outbox.Count);
        try
        {
            await Task.WhenAll(SampleLoopAsync(ct), PublishLoopAsync(ct), ControlLoopAsync(ct));
        }
        finally
        {
            await ShutdownAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync -= OnCommandAsync;
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SampleLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.SampleIntervalSeconds), _time);
        try
        {
            do
            {
                await SampleOnceAsync(ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SampleOnceAsync(CancellationToken ct)
    {
        try
        {
            var readings = await _driver.ReadAsync(ct);
            var sentAt = _time.GetUtcNow();
            IEnumerable<Reading> wanted = _channelFilter is null ? readings : readings.Where(r => _channelFilter.Contains(r.Channel));
            Reading[] selected =
            [
                .. wanted,
                new Reading(_outboxDepthChannel, sentAt, _outbox.Count),
                new Reading(_outboxDroppedChannel, sentAt, _outbox.Dropped),
            ];
            foreach (var chunk in selected.Chunk(MaxReadingsPerBatch))
            {
                var batch = new ReadingBatch(ProtocolRules.SchemaVersion, _options.AgentId, Interlocked.Increment(ref _nextSeq) - 1, sentAt, chunk);
                await _outbox.AddAsync(batch, ct);
            }

            ReportDrops(sentAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _errors);
            Log.SampleFailed(_logger, ex.Message, ex);
        }
    }

    /// <summary>Logs outbox drops when they grow, at most once a minute: a drop is lost data.</summary>
    private void ReportDrops(DateTimeOffset now)
    {
        var dropped = _outbox.Dropped;
        if (dropped > _droppedLogged && now - _dropLoggedAt >= TimeSpan.FromMinutes(1))
        {
            Log.OutboxDropped(_logger, dropped - _droppedLogged, dropped, _outbox.Count);
            _droppedLogged = dropped;
            _dropLoggedAt = now;
        }
    }

    private async Task PublishLoopAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                // Taken before the checks, so a wake-up between check and wait is not lost.
                var wake = Volatile.Read(ref _wake).Task;
                try
                {
                    if (_silenced)
                    {
                        await wake.WaitAsync(ct);
                    }
                    else if (!_client.IsConnected)
                    {
                        await ConnectWithBackoffAsync(ct);
                    }
                    else if (_rebirthRequested)
                    {
                        _rebirthRequested = false;
                        await PublishStatusAsync(AgentLifecycle.Online, ct);
                    }
                    else if (_outbox.TryPeek(out var batch))
                    {
                        await PublishBatchAsync(batch, ct);
                    }
                    else
                    {
                        await WaitForBatchOrWakeAsync(wake, ct);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _errors);
                    Log.PublishFailed(_logger, ex.GetBaseException().Message);
                    // A broken connection is picked up by the next round; this pause keeps a persistent error from spinning.
                    await Task.Delay(TimeSpan.FromSeconds(_options.ReconnectMinSeconds), _time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task WaitForBatchOrWakeAsync(Task wake, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batch = _outbox.WaitForBatchAsync(stop.Token).AsTask();
        var woken = wake.WaitAsync(stop.Token);
        await Task.WhenAny(batch, woken);
        await stop.CancelAsync();
        try
        {
            // Both are settled now; awaiting them keeps no task unobserved.
            await Task.WhenAll(batch, woken);
        }
        catch (OperationCanceledException)
        {
            // The one that lost the race was cancelled.
        }

        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Commands from the Server: a rebirth request is handed to the publish loop, a control
    /// request (MQTT 5 request/response) to the control loop, because publishing from inside the
    /// receive callback would wait on itself.
    /// </summary>
    private Task OnCommandAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        try
        {
            var reader = new Utf8JsonReader(args.ApplicationMessage.Payload);
            var command = JsonSerializer.Deserialize(ref reader, ProtocolJsonContext.Default.AgentCommand);
            if (command is { Schema: ProtocolRules.SchemaVersion, Command: AgentCommands.Rebirth })
            {
                _rebirthRequested = true;
                Wake();
            }
            else if (command is { Schema: ProtocolRules.SchemaVersion, Command: ControlCommands.SetHv })
            {
                QueueControl(args.ApplicationMessage);
            }
        }
        catch (JsonException ex)
        {
            Interlocked.Increment(ref _errors);
            Log.CommandRejected(_logger, ex.Message);
        }

        return Task.CompletedTask;
    }

    private void QueueControl(MqttApplicationMessage message)
    {
        // A silent agent is a hung agent: it neither acts nor answers, and the Server reports "unknown".
        if (_silenced)
        {
            return;
        }

        // Without correlation data nobody waits for the answer: such a request is not carried out.
        if (message.CorrelationData is not { Length: > 0 } correlation)
        {
            Log.CommandRejected(_logger, "a control request without correlation data");
            return;
        }

        var reader = new Utf8JsonReader(message.Payload);
        var request = JsonSerializer.Deserialize(ref reader, ControlJsonContext.Default.ControlRequest);
        if (request is null || string.IsNullOrWhiteSpace(request.CommandId))
        {
            Log.CommandRejected(_logger, "a control request without a command id");
            return;
        }

        if (!_controlQueue.Writer.TryWrite(new PendingControl(request, correlation)))
        {
            // The Server sees no reply and reports the command as unknown; a retry with the same id is safe.
            Log.ControlQueueFull(_logger, request.CommandId, ControlQueueCapacity);
        }
    }

    private async Task ControlLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var pending in _controlQueue.Reader.ReadAllAsync(ct))
            {
                try
                {
                    var reply = await HandleControlAsync(pending.Request, ct);
                    if (reply is { Outcome: ControlOutcome.Accepted, Repeated: false })
                    {
                        await PublishNewSetpointAsync(pending.Request, reply.At, ct);
                        await AnnounceChangedChannelsAsync(ct);
                    }

                    await PublishReplyAsync(reply, pending.CorrelationData, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _errors);
                    Log.ControlFailed(_logger, pending.Request.CommandId, ex.GetBaseException().Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async ValueTask<ControlReply> HandleControlAsync(ControlRequest request, CancellationToken ct)
    {
        if (_control is null)
        {
            return new ControlReply(ProtocolRules.SchemaVersion, request.CommandId, ControlOutcome.Refused,
                "this agent controls no HV supply", null, request.Volts, _time.GetUtcNow());
        }

        return await _control.HandleAsync(request, ct);
    }

    /// <summary>
    /// The new setpoint goes out at once, ahead of its next periodic reading: the Server's alarm
    /// engine suppresses the PMT's deviation and dark-rate alarms by design from the moment it sees
    /// the setpoint move, and the readback starts moving now.
    /// </summary>
    private async ValueTask PublishNewSetpointAsync(ControlRequest request, DateTimeOffset at, CancellationToken ct)
    {
        var channel = Platform.SimulatedChannels.PmtHvSet(request.Pmt);
        if (_channels.Any(c => string.Equals(c.Id, channel, StringComparison.Ordinal)))
        {
            var batch = new ReadingBatch(ProtocolRules.SchemaVersion, _options.AgentId, Interlocked.Increment(ref _nextSeq) - 1, at, [new Reading(channel, at, request.Volts)]);
            await _outbox.AddAsync(batch, ct);
        }
    }

    /// <summary>
    /// A driver may describe a channel differently after a command (the readback's band follows a new
    /// setpoint); the retained birth is published again so the Server judges against the new bands.
    /// </summary>
    private async ValueTask AnnounceChangedChannelsAsync(CancellationToken ct)
    {
        var channels = DescribeChannels();
        if (channels.SequenceEqual(_channels))
        {
            return;
        }

        _channels = channels;
        if (_client.IsConnected)
        {
            await PublishStatusAsync(AgentLifecycle.Online, ct);
        }
    }

    private IReadOnlyList<ChannelDescriptor> DescribeChannels()
    {
        var driven = _channelFilter is null ? _driver.Channels : _driver.Channels.Where(c => _channelFilter.Contains(c.Id));
        return [.. driven, .. OutboxChannels(_options)];
    }

    private async Task PublishReplyAsync(ControlReply reply, byte[] correlationData, CancellationToken ct)
    {
        // Always the agent's own replies topic: an ACL lets an agent publish there and nowhere else.
        var message = MqttPublishing.JsonMessage(
                Topics.AgentReplies(_options.AgentId),
                JsonSerializer.SerializeToUtf8Bytes(reply, ControlJsonContext.Default.ControlReply))
            .WithCorrelationData(correlationData)
            .Build();
        var result = await MqttPublishing.PublishAsync(_client, message, ct);
        MqttPublishing.EnsureAccepted(result, "the reply");
    }

    private sealed record PendingControl(ControlRequest Request, byte[] CorrelationData);

    private async Task ConnectWithBackoffAsync(CancellationToken ct)
    {
        for (var attempt = 1; !_silenced; attempt++)
        {
            var reason = await MqttPublishing.TryConnectAsync(
                _client,
                BuildClientOptions,
                async timeout =>
                {
                    await _client.SubscribeAsync(Topics.AgentCommands(_options.AgentId), MqttQualityOfServiceLevel.AtLeastOnce, timeout);
                    await PublishStatusAsync(AgentLifecycle.Online, timeout);
                    Log.Connected(_logger, _options.BrokerHost, _options.BrokerPort, attempt, _outbox.Count);
                },
                ct);
            if (reason is null)
            {
                return;
            }

            Interlocked.Increment(ref _connectFailures);
            await DisconnectQuietlyAsync();
            var delay = MqttPublishing.Backoff(attempt, _options.ReconnectMinSeconds, _options.ReconnectMaxSeconds);
            Log.ConnectFailed(_logger, _options.BrokerHost, _options.BrokerPort, attempt, reason, delay.TotalSeconds);
            await Task.Delay(delay, _time, ct);
        }
    }

    private async Task PublishBatchAsync(ReadingBatch batch, CancellationToken ct)
    {
        // A batch that waited out an outage is marked, so the server files it without live alarms.
        var outgoing = !batch.Historical && _time.GetUtcNow() - batch.SentAt >= _historicalAfter
            ? batch with { Historical = true }
            : batch;
        var payload = JsonSerializer.SerializeToUtf8Bytes(outgoing, ProtocolJsonContext.Default.ReadingBatch);
        var message = MqttPublishing.JsonMessage(Topics.AgentReadings(_options.AgentId), payload).Build();
        var result = await MqttPublishing.PublishAsync(_client, message, ct);
        if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            // Nobody received it (the Server is not subscribed yet, or its session expired): keep
            // the batch and try again shortly rather than count it delivered.
            Interlocked.Increment(ref _noSubscriber);
            Log.NoSubscriber(_logger, batch.Seq, _outbox.Count);
            await Task.Delay(s_noSubscriberRetry, _time, ct);
            return;
        }

        if (result.IsSuccess)
        {
            Interlocked.Increment(ref _published);
        }
        else
        {
            // A refusal is about this message (size, authorisation): retrying it would block every later batch.
            Interlocked.Increment(ref _rejected);
            Log.BatchRejected(_logger, batch.Seq, result.ReasonCode.ToString(), result.ReasonString);
        }

        await _outbox.RemoveAsync(batch.Seq, CancellationToken.None);
    }

    private async Task PublishStatusAsync(AgentLifecycle state, CancellationToken ct)
    {
        var message = MqttPublishing.JsonMessage(Topics.AgentStatus(_options.AgentId), StatusPayload(state)).WithRetainFlag().Build();
        var result = await _client.PublishAsync(message, ct);
        MqttPublishing.EnsureAccepted(result, $"the {state} status");
    }

    private byte[] StatusPayload(AgentLifecycle state)
    {
        // Offline carries the channels too: the retained status always describes the agent in full.
        var status = new AgentStatusMessage(ProtocolRules.SchemaVersion, _options.AgentId, state, _time.GetUtcNow())
        {
            Version = _version,
            Host = Environment.MachineName,
            HeartbeatSeconds = _options.HeartbeatSeconds,
            Simulated = _options.Simulated,
            Channels = _channels,
        };
        return JsonSerializer.SerializeToUtf8Bytes(status, ProtocolJsonContext.Default.AgentStatusMessage);
    }

    private MqttClientOptions BuildClientOptions() =>
        MqttPublishing.ClientOptions(
            _options.BrokerHost, _options.BrokerPort, $"clovers-agent-{_options.AgentId}", _options.Username, _options.Password,
            Topics.AgentStatus(_options.AgentId), StatusPayload(AgentLifecycle.Offline));

    private async Task ShutdownAsync()
    {
        _stopping = true;
        if (!_client.IsConnected)
        {
            Log.Stopped(_logger, _options.AgentId, Published, _outbox.Count, _nextSeq - 1);
            return;
        }

        using var budget = new CancellationTokenSource(MqttPublishing.ShutdownBudget);
        try
        {
            if (!_silenced)
            {
                await FlushAsync(budget.Token);
            }

            // Said explicitly (not left to the will) so that the server sees the agent offline at once.
            await PublishStatusAsync(AgentLifecycle.Offline, budget.Token);
            await MqttPublishing.DisconnectNormallyAsync(_client, budget.Token);
        }
        catch (Exception ex)
        {
            Log.ShutdownFailed(_logger, ex.GetBaseException().Message);
        }

        Log.Stopped(_logger, _options.AgentId, Published, _outbox.Count, _nextSeq - 1);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        using var flush = CancellationTokenSource.CreateLinkedTokenSource(ct);
        flush.CancelAfter(s_flushBudget);
        try
        {
            while (_client.IsConnected && _outbox.TryPeek(out var batch))
            {
                await PublishBatchAsync(batch, flush.Token);
            }
        }
        catch (OperationCanceledException) when (flush.IsCancellationRequested)
        {
            Log.FlushIncomplete(_logger, _outbox.Count);
        }
    }

    private async Task DisconnectQuietlyAsync()
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(MqttPublishing.OperationTimeout);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
        }
        catch (Exception ex)
        {
            // The connection is being thrown away anyway.
            Log.DisconnectFailed(_logger, ex.GetBaseException().Message);
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (e.ClientWasConnected && !_stopping)
        {
            Log.Disconnected(_logger, _options.BrokerHost, _options.BrokerPort, MqttPublishing.DisconnectReason(e), _outbox.Count);
        }

        Wake();
        return Task.CompletedTask;
    }

    private void Wake() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Agent {AgentId} starting: broker {Host}:{Port}, {ChannelCount} channels, a batch every {SampleSeconds} s")]
        public static partial void Starting(ILogger logger, string agentId, string host, int port, int channelCount, double sampleSeconds);

        [LoggerMessage(2, LogLevel.Information, "Connected to broker {Host}:{Port} (attempt {Attempt}); {Waiting} batches waiting in the outbox")]
        public static partial void Connected(ILogger logger, string host, int port, int attempt, int waiting);

        [LoggerMessage(3, LogLevel.Warning, "Connecting to broker {Host}:{Port} failed (attempt {Attempt}): {Reason}; next try in {DelaySeconds:0.0} s")]
        public static partial void ConnectFailed(ILogger logger, string host, int port, int attempt, string reason, double delaySeconds);

        [LoggerMessage(4, LogLevel.Warning, "Lost the broker {Host}:{Port}: {Reason}; {Waiting} batches waiting, sampling continues")]
        public static partial void Disconnected(ILogger logger, string host, int port, string reason, int waiting);

        [LoggerMessage(5, LogLevel.Warning, "Reading the platform failed: {Reason}")]
        public static partial void SampleFailed(ILogger logger, string reason, Exception exception);

        [LoggerMessage(6, LogLevel.Warning, "Publishing failed: {Reason}")]
        public static partial void PublishFailed(ILogger logger, string reason);

        [LoggerMessage(7, LogLevel.Error, "The broker refused batch {Seq} ({ReasonCode} {ReasonString}); it is dropped")]
        public static partial void BatchRejected(ILogger logger, long seq, string reasonCode, string? reasonString);

        [LoggerMessage(8, LogLevel.Warning, "Stopping: could not say goodbye to the broker ({Reason}); it will publish the last will")]
        public static partial void ShutdownFailed(ILogger logger, string reason);

        [LoggerMessage(9, LogLevel.Warning, "Stopping: {Waiting} batches could not be flushed in time and are lost")]
        public static partial void FlushIncomplete(ILogger logger, int waiting);

        [LoggerMessage(10, LogLevel.Debug, "Disconnect failed: {Reason}")]
        public static partial void DisconnectFailed(ILogger logger, string reason);

        [LoggerMessage(11, LogLevel.Information, "Agent {AgentId} stopped after {Published} batches; {Waiting} left in the outbox; last batch number {LastSeq}")]
        public static partial void Stopped(ILogger logger, string agentId, long published, int waiting, long lastSeq);

        [LoggerMessage(12, LogLevel.Warning, "Ignored a malformed command: {Reason}")]
        public static partial void CommandRejected(ILogger logger, string reason);

        [LoggerMessage(13, LogLevel.Warning, "Control request {CommandId} dropped: {Capacity} requests are already waiting")]
        public static partial void ControlQueueFull(ILogger logger, string commandId, int capacity);

        [LoggerMessage(14, LogLevel.Warning, "Control request {CommandId} could not be completed or answered: {Reason}")]
        public static partial void ControlFailed(ILogger logger, string commandId, string reason);

        [LoggerMessage(17, LogLevel.Warning, "Batch {Seq} reached no subscriber (is the Server subscribed?); kept with {Waiting} others, retrying")]
        public static partial void NoSubscriber(ILogger logger, long seq, int waiting);

        [LoggerMessage(15, LogLevel.Information, "First batch number {Seq}; {Waiting} batches waiting in the outbox from before")]
        public static partial void Numbering(ILogger logger, long seq, int waiting);

        [LoggerMessage(16, LogLevel.Error, "The outbox is over its budget: {New} more of the oldest batches dropped ({Total} in all, {Waiting} waiting); their readings are lost")]
        public static partial void OutboxDropped(ILogger logger, long @new, long total, int waiting);
    }
}
