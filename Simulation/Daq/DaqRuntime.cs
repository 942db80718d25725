using System.Text.Json;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Simulation.Mqtt;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Clovers.Monitor.Simulation.Daq;

/// <summary>
/// Publishes a <see cref="DaqSimulator"/> over MQTT 5 as a real DAQ would: a retained
/// <see cref="DaqStatusMessage"/> every status interval (its heartbeat) with a retained offline
/// status as last will and on a clean stop, and a QoS 1 <see cref="HistogramSet"/> every histogram
/// interval. The simulation advances whether or not the broker is there; since every histogram set
/// holds the whole run, an outage loses nothing and no outbox is needed.
/// </summary>
public sealed partial class DaqRuntime : IAsyncDisposable
{
    private readonly DaqSimulatorOptions _options;
    private readonly DaqSimulator _simulator;
    private readonly TimeProvider _time;
    private readonly ILogger<DaqRuntime> _logger;
    private readonly IMqttClient _client;
    private readonly string _version;
    private DateTimeOffset _nextStatus;
    private DateTimeOffset _nextHistograms;
    private DateTimeOffset _nextConnect;
    private int _connectAttempt;
    private long _histogramsPublished;
    private long _statusesPublished;
    private long _errors;
    private int _running;
    private volatile bool _stopping;

    public DaqRuntime(DaqSimulator simulator, TimeProvider time, ILogger<DaqRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _simulator = simulator;
        _options = simulator.Options;
        _time = time;
        _logger = logger;
        _version = MqttPublishing.Version(_options.Version);

        // Handlers are attached before the first connect, so no event is missed.
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public DaqSimulator Simulator => _simulator;

    public bool Connected => _client.IsConnected;

    public long HistogramsPublished => Interlocked.Read(ref _histogramsPublished);

    public long StatusesPublished => Interlocked.Read(ref _statusesPublished);

    /// <summary>Failures caught in the loop (publishes, connects).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Runs until <paramref name="ct"/> is cancelled, then publishes the offline status and disconnects.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("The DAQ runtime is already running.");
        }

        Log.Starting(_logger, _options.DaqId, _options.BrokerHost, _options.BrokerPort, _simulator.Run, _options.Acceleration);
        var start = _time.GetUtcNow();
        _nextConnect = start;
        _nextStatus = start;
        _nextHistograms = start + TimeSpan.FromSeconds(_options.HistogramIntervalSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.StepSeconds), _time);
        try
        {
            do
            {
                await TickAsync(ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await ShutdownAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task TickAsync(CancellationToken ct)
    {
        try
        {
            _simulator.Update();
            var now = _time.GetUtcNow();
            if (!_client.IsConnected)
            {
                if (now < _nextConnect || !await TryConnectAsync(ct))
                {
                    return;
                }
            }

            if (now >= _nextStatus)
            {
                _nextStatus = now + TimeSpan.FromSeconds(_options.StatusIntervalSeconds);
                await PublishStatusAsync(DaqRunState.Running, ct);
            }

            if (now >= _nextHistograms)
            {
                _nextHistograms = now + TimeSpan.FromSeconds(_options.HistogramIntervalSeconds);
                await PublishHistogramsAsync(ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A broken connection is noticed by the next tick, which reconnects with backoff.
            Interlocked.Increment(ref _errors);
            Log.PublishFailed(_logger, ex.GetBaseException().Message);
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken ct)
    {
        _connectAttempt++;
        var reason = await MqttPublishing.TryConnectAsync(_client, BuildClientOptions, onConnected: null, ct);
        if (reason is null)
        {
            Log.Connected(_logger, _options.BrokerHost, _options.BrokerPort, _connectAttempt);
            _connectAttempt = 0;
            // Announce at once, then show the run so far.
            _nextStatus = _time.GetUtcNow();
            _nextHistograms = _time.GetUtcNow();
            return true;
        }

        var delay = MqttPublishing.Backoff(_connectAttempt, _options.ReconnectMinSeconds, _options.ReconnectMaxSeconds);
        _nextConnect = _time.GetUtcNow() + delay;
        Log.ConnectFailed(_logger, _options.BrokerHost, _options.BrokerPort, _connectAttempt, reason, delay.TotalSeconds);
        return false;
    }

    private async Task PublishHistogramsAsync(CancellationToken ct)
    {
        var set = _simulator.Snapshot();
        var payload = JsonSerializer.SerializeToUtf8Bytes(set, ProtocolJsonContext.Default.HistogramSet);
        var message = MqttPublishing.JsonMessage(Topics.DaqHistograms(_options.DaqId), payload).Build();
        var result = await MqttPublishing.PublishAsync(_client, message, ct);
        MqttPublishing.EnsureAccepted(result, $"histogram set {set.Seq}");
        Interlocked.Increment(ref _histogramsPublished);
    }

    private async Task PublishStatusAsync(DaqRunState state, CancellationToken ct)
    {
        var message = MqttPublishing.JsonMessage(Topics.DaqStatus(_options.DaqId), StatusPayload(state)).WithRetainFlag().Build();
        var result = await MqttPublishing.PublishAsync(_client, message, ct);
        MqttPublishing.EnsureAccepted(result, $"the {state} status");
        Interlocked.Increment(ref _statusesPublished);
    }

    private byte[] StatusPayload(DaqRunState state)
    {
        var rates = _simulator.Rates();
        var running = state == DaqRunState.Running;
        var status = new DaqStatusMessage(
            ProtocolRules.SchemaVersion,
            _options.DaqId,
            _time.GetUtcNow(),
            _simulator.Run,
            state,
            running ? rates.TriggerRateHz : 0,
            running ? rates.LivetimeFraction : 0,
            running ? rates.VetoRateHz : 0)
        {
            HeartbeatSeconds = _options.StatusIntervalSeconds,
            Simulated = true,
            Version = _version,
        };
        return JsonSerializer.SerializeToUtf8Bytes(status, ProtocolJsonContext.Default.DaqStatusMessage);
    }

    private MqttClientOptions BuildClientOptions() =>
        MqttPublishing.ClientOptions(
            _options.BrokerHost, _options.BrokerPort, $"clovers-daq-{_options.DaqId}", _options.Username, _options.Password,
            Topics.DaqStatus(_options.DaqId), StatusPayload(DaqRunState.Offline));

    private async Task ShutdownAsync()
    {
        _stopping = true;
        if (_client.IsConnected)
        {
            using var budget = new CancellationTokenSource(MqttPublishing.ShutdownBudget);
            try
            {
                // The final histograms, then goodbye said explicitly so the server sees the DAQ offline at once.
                await PublishHistogramsAsync(budget.Token);
                await PublishStatusAsync(DaqRunState.Offline, budget.Token);
                await MqttPublishing.DisconnectNormallyAsync(_client, budget.Token);
            }
            catch (Exception ex)
            {
                Log.ShutdownFailed(_logger, ex.GetBaseException().Message);
            }
        }

        Log.Stopped(_logger, _options.DaqId, _simulator.Run, HistogramsPublished);
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        if (e.ClientWasConnected && !_stopping)
        {
            Log.Disconnected(_logger, _options.BrokerHost, _options.BrokerPort, MqttPublishing.DisconnectReason(e));
        }

        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "DAQ {DaqId} starting: broker {Host}:{Port}, run {Run}, {Acceleration}× simulated time")]
        public static partial void Starting(ILogger logger, string daqId, string host, int port, long run, double acceleration);

        [LoggerMessage(2, LogLevel.Information, "DAQ connected to broker {Host}:{Port} (attempt {Attempt})")]
        public static partial void Connected(ILogger logger, string host, int port, int attempt);

        [LoggerMessage(3, LogLevel.Warning, "DAQ connecting to broker {Host}:{Port} failed (attempt {Attempt}): {Reason}; next try in {DelaySeconds:0.0} s")]
        public static partial void ConnectFailed(ILogger logger, string host, int port, int attempt, string reason, double delaySeconds);

        [LoggerMessage(4, LogLevel.Warning, "DAQ lost the broker {Host}:{Port}: {Reason}; the run goes on")]
        public static partial void Disconnected(ILogger logger, string host, int port, string reason);

        [LoggerMessage(5, LogLevel.Warning, "DAQ publishing failed: {Reason}")]
        public static partial void PublishFailed(ILogger logger, string reason);

        [LoggerMessage(6, LogLevel.Warning, "DAQ stopping: could not say goodbye to the broker ({Reason}); it will publish the last will")]
        public static partial void ShutdownFailed(ILogger logger, string reason);

        [LoggerMessage(7, LogLevel.Information, "DAQ {DaqId} stopped in run {Run} after {Published} histogram sets")]
        public static partial void Stopped(ILogger logger, string daqId, long run, long published);
    }
}
