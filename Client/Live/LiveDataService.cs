using System.Net.Http.Json;
using System.Threading.Channels;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Client.Live;

/// <summary>
/// One hub connection per browser tab, shared by every component through <see cref="ILiveData"/>.
/// It subscribes to all channels, applies the pushed deltas to <see cref="LiveState"/>, and tells
/// components about changes at most <see cref="NotifyInterval"/> apart, so the page load stays
/// flat however fast data arrives. After a lost connection it re-subscribes, takes the fresh
/// snapshot and announces the gap for history views to backfill. Spectra ride the same
/// connection, but only while a component subscribes to them (<see cref="SubscribeSpectraAsync"/>).
/// </summary>
public sealed class LiveDataService : ILiveData, IAsyncDisposable
{
    // Alarm changes ride the same throttle: a quarter second keeps them well within the half
    // second a shifter may wait to see an alarm.
    public static readonly TimeSpan NotifyInterval = TimeSpan.FromMilliseconds(250);

    // Pushes that overtake the snapshot wait here until it arrives; past this many the oldest go.
    private const int EarlyUpdateLimit = 2_000;

    // Alarm changes come one at a time and rarely; this bounds them all the same.
    private const int EarlyAlarmLimit = 500;

    // Unknown channels trigger a reload of the channel list; this keeps a misbehaving feed from
    // turning that into a request per message.
    private static readonly TimeSpan MetadataRefreshInterval = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly ILogger<LiveDataService> _logger;
    private readonly TimeProvider _time;
    private readonly CappedRetryPolicy _retryPolicy;
    private readonly HubConnection _connection;
    private readonly LiveState _state = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CallbackRegistry<bool> _changed = new();
    private readonly CallbackRegistry<IReadOnlyList<ChannelUpdate>> _channelUpdates = new();
    private readonly CallbackRegistry<DateTimeOffset> _backfillNeeded = new();
    private readonly CallbackRegistry<SpectraUpdate> _spectra = new();

    // One hub call at a time brings the connection's spectra subscription in line with the
    // subscribers, so a subscribe and an unsubscribe can never overtake each other.
    private readonly SemaphoreSlim _spectraGate = new(1, 1);
    private readonly CancellationToken _stoppingToken;

    // The newest spectra push of each DAQ not yet handed to the subscribers. The hub client awaits
    // one handler at a time, so a subscriber that takes its time (a page reloading over REST) would
    // hold up the alarms behind it; pushes wait here instead. They are cumulative, so a newer one
    // replaces an older one of its DAQ without loss, and there is one entry per DAQ at most.
    private readonly Dictionary<string, SpectraUpdate> _pendingSpectra = new(StringComparer.Ordinal);
    private readonly Channel<bool> _spectraWaiting = Channel.CreateBounded<bool>(1);

    private Task _connectLoop = Task.CompletedTask;
    private Task _notifyLoop = Task.CompletedTask;
    private Task _spectraLoop = Task.CompletedTask;
    private Task _metadataRefresh = Task.CompletedTask;
    private DateTimeOffset _lastMetadataRefresh = DateTimeOffset.MinValue;
    private readonly Queue<ChannelUpdate> _earlyUpdates = new();
    private readonly Queue<AlarmView> _earlyAlarms = new();

    // WebAssembly runs everything on one thread, but the same service in a desktop host or a test
    // sees hub handlers and invocation results on pool threads.
    private readonly Lock _stateLock = new();
    private DateTimeOffset? _linkLostAt;
    private bool _hasSnapshot;
    private bool _started;
    private bool _serverSimulation;
    private int _dirty;

    // The connection the hub sends spectra to. Group membership belongs to a connection id, and a
    // reconnect brings a new id without it, so a different id means "not subscribed".
    private string? _spectraConnectionId;

    public LiveDataService(HttpClient http, ILogger<LiveDataService> logger, TimeProvider time, CappedRetryPolicy? retryPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(http.BaseAddress);
        _http = http;
        _logger = logger;
        _time = time;
        _retryPolicy = retryPolicy ?? new CappedRetryPolicy();
        _stoppingToken = _stopping.Token;
        _connection = new HubConnectionBuilder()
            // The negotiate POST carries the session cookie, so it needs the cross-site request header too.
            .WithUrl(ApiPaths.Resolve(http.BaseAddress, MonitorHubContract.Path), options => options.Headers[CsrfHeader.Name] = CsrfHeader.Value)
            .WithAutomaticReconnect(_retryPolicy)
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default))
            .Build();

        // Handlers go on before the first connect so that no push is ever missed.
        _connection.On<IReadOnlyList<ChannelUpdate>>(nameof(IMonitorClient.ChannelsUpdated), OnChannelsUpdatedAsync);
        _connection.On<IReadOnlyList<AgentInfo>>(nameof(IMonitorClient.AgentsUpdated), OnAgentsUpdated);
        _connection.On<IReadOnlyList<ChannelStatusChange>>(nameof(IMonitorClient.StatusesUpdated), OnStatusesUpdated);
        _connection.On<IReadOnlyList<AlarmView>>(nameof(IMonitorClient.AlarmsUpdated), OnAlarmsUpdated);
        _connection.On<SpectraUpdate>(nameof(IMonitorClient.SpectraUpdated), OnSpectraUpdated);
        _connection.Reconnecting += OnReconnecting;
        _connection.Reconnected += OnReconnectedAsync;
        _connection.Closed += OnClosed;
    }

    public LiveConnectionState ConnectionState { get; private set; } = LiveConnectionState.Disconnected;

    public bool Simulation => _serverSimulation || _state.SnapshotSimulation || _state.AnyAgentSimulated;

    public string? ServerVersion { get; private set; }

    public TimeSpan ServerClockOffset { get; private set; }

    public IReadOnlyDictionary<string, ChannelState> Channels => _state.Channels;

    public IReadOnlyDictionary<string, AgentInfo> Agents => _state.Agents;

    public IReadOnlyDictionary<string, AlarmView> Alarms => _state.Alarms;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started || _stopping.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        _started = true;
        _notifyLoop = NotifyLoopAsync(_stopping.Token);
        _spectraLoop = SpectraLoopAsync(_stopping.Token);
        _connectLoop = ConnectLoopAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public IDisposable SubscribeChanged(Func<Task> onChanged) => _changed.Add(_ => onChanged());

    public IDisposable SubscribeChannelUpdates(Func<IReadOnlyList<ChannelUpdate>, Task> onUpdates) => _channelUpdates.Add(onUpdates);

    public IDisposable SubscribeBackfillNeeded(Func<DateTimeOffset, Task> onBackfillNeeded) => _backfillNeeded.Add(onBackfillNeeded);

    public async Task<IAsyncDisposable> SubscribeSpectraAsync(Func<SpectraUpdate, Task> onUpdate, CancellationToken cancellationToken = default)
    {
        // Registered before the hub is asked, so the first push after the hub's answer finds it.
        var subscription = new SpectraSubscription(this, _spectra.Add(onUpdate));
        try
        {
            await SyncSpectraAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await subscription.DisposeAsync();
            throw;
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await AwaitQuietly(_connectLoop);
        await AwaitQuietly(_notifyLoop);
        await AwaitQuietly(_spectraLoop);
        await AwaitQuietly(_metadataRefresh);
        await _connection.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task ConnectLoopAsync(CancellationToken cancellationToken)
    {
        await LoadServerInfoAsync(cancellationToken);
        for (var attempt = 0L; !cancellationToken.IsCancellationRequested; attempt++)
        {
            SetConnectionState(LiveConnectionState.Connecting);
            try
            {
                if (_connection.State == HubConnectionState.Disconnected)
                {
                    await _connection.StartAsync(cancellationToken);
                }

                await SubscribeAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Connecting to the monitor hub failed (attempt {Attempt})", attempt + 1);
                _linkLostAt ??= _time.GetUtcNow();
                SetConnectionState(LiveConnectionState.Disconnected);
            }

            try
            {
                await Task.Delay(_retryPolicy.DelayFor(attempt), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _connection.InvokeAsync<LiveSnapshot>(MonitorHubContract.Subscribe, (string[]?)null, cancellationToken);
        lock (_stateLock)
        {
            _state.ApplySnapshot(snapshot);
            _hasSnapshot = true;
            if (_earlyUpdates.Count > 0)
            {
                // The server registers a subscriber before reading its snapshot, so these may be newer.
                _state.ApplyChannelUpdates([.. _earlyUpdates]);
                _earlyUpdates.Clear();
            }

            if (_earlyAlarms.Count > 0)
            {
                _state.ApplyAlarms([.. _earlyAlarms]);
                _earlyAlarms.Clear();
            }
        }

        ServerClockOffset = snapshot.ServerTime - _time.GetUtcNow();
        SetConnectionState(LiveConnectionState.Connected);
        await SyncSpectraAsync(cancellationToken);
        if (_linkLostAt is { } since)
        {
            _linkLostAt = null;
            await _backfillNeeded.InvokeAsync(since, _logger);
        }
    }

    private async Task LoadServerInfoAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await _http.GetFromJsonAsync(ApiPaths.Relative(ApiRoutes.Info), ApiJsonContext.Default.ServerInfo, cancellationToken);
            if (info is not null)
            {
                ServerVersion = info.Version;
                _serverSimulation = info.Simulation;
                MarkChanged();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or NotSupportedException)
        {
            // The snapshot carries the simulation flag too; the version label is a nicety.
            _logger.LogWarning(ex, "Reading the server info failed");
        }
    }

    private async Task OnChannelsUpdatedAsync(IReadOnlyList<ChannelUpdate> updates)
    {
        bool allKnown;
        lock (_stateLock)
        {
            if (_hasSnapshot)
            {
                allKnown = _state.ApplyChannelUpdates(updates);
            }
            else
            {
                allKnown = true;
                foreach (var update in updates)
                {
                    if (_earlyUpdates.Count >= EarlyUpdateLimit)
                    {
                        _earlyUpdates.Dequeue();
                    }

                    _earlyUpdates.Enqueue(update);
                }
            }
        }

        MarkChanged();
        await _channelUpdates.InvokeAsync(updates, _logger);
        if (!allKnown)
        {
            RequestMetadataRefresh();
        }
    }

    private void OnAgentsUpdated(IReadOnlyList<AgentInfo> agents)
    {
        bool channelsMayHaveChanged;
        lock (_stateLock)
        {
            channelsMayHaveChanged = _state.ApplyAgents(agents) && _hasSnapshot;
        }

        if (channelsMayHaveChanged)
        {
            RequestMetadataRefresh();
        }

        MarkChanged();
    }

    private void OnStatusesUpdated(IReadOnlyList<ChannelStatusChange> changes)
    {
        lock (_stateLock)
        {
            _state.ApplyStatuses(changes);
        }

        MarkChanged();
    }

    private void OnAlarmsUpdated(IReadOnlyList<AlarmView> alarms)
    {
        lock (_stateLock)
        {
            if (_hasSnapshot)
            {
                _state.ApplyAlarms(alarms);
            }
            else
            {
                foreach (var alarm in alarms)
                {
                    if (_earlyAlarms.Count >= EarlyAlarmLimit)
                    {
                        _earlyAlarms.Dequeue();
                    }

                    _earlyAlarms.Enqueue(alarm);
                }
            }
        }

        MarkChanged();
    }

    private void OnSpectraUpdated(SpectraUpdate update)
    {
        lock (_stateLock)
        {
            _pendingSpectra[update.DaqId] = update;
        }

        // A full channel already says that something waits.
        _spectraWaiting.Writer.TryWrite(true);
    }

    private async Task SpectraLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _spectraWaiting.Reader.ReadAsync(cancellationToken))
            {
                List<SpectraUpdate> due;
                lock (_stateLock)
                {
                    due = [.. _pendingSpectra.Values];
                    _pendingSpectra.Clear();
                }

                foreach (var update in due)
                {
                    await _spectra.InvokeAsync(update, _logger);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task OnReconnecting(Exception? error)
    {
        _logger.LogWarning(error, "Lost the monitor hub; reconnecting");
        _linkLostAt ??= _time.GetUtcNow();
        _hasSnapshot = false;
        SetConnectionState(LiveConnectionState.Reconnecting);
        return Task.CompletedTask;
    }

    private async Task OnReconnectedAsync(string? connectionId)
    {
        try
        {
            await SubscribeAsync(_stopping.Token);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            // Connected but not subscribed shows nothing: drop the connection, and Closed starts over.
            _logger.LogWarning(ex, "Re-subscribing after a reconnect failed");
            await _connection.StopAsync();
        }
    }

    private Task OnClosed(Exception? error)
    {
        _linkLostAt ??= _time.GetUtcNow();
        _hasSnapshot = false;
        SetConnectionState(LiveConnectionState.Disconnected);
        if (!_stopping.IsCancellationRequested && _connectLoop.IsCompleted)
        {
            _logger.LogWarning(error, "The monitor hub connection closed; connecting again");
            _connectLoop = ConnectLoopAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Asks the hub for spectra when someone wants them and this connection does not get them yet,
    /// and tells it to stop when nobody wants them any more. Without a connection it does nothing:
    /// the next (re)connect calls it again.
    /// </summary>
    private async Task SyncSpectraAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stoppingToken);
        await _spectraGate.WaitAsync(linked.Token);
        try
        {
            if (_connection.State != HubConnectionState.Connected || _connection.ConnectionId is not { } connectionId)
            {
                return;
            }

            var subscribed = connectionId == _spectraConnectionId;
            if (_spectra.Count > 0 && !subscribed)
            {
                await _connection.InvokeAsync(MonitorHubContract.SubscribeSpectra, linked.Token);
                _spectraConnectionId = connectionId;
            }
            else if (_spectra.Count == 0 && subscribed)
            {
                await _connection.InvokeAsync(MonitorHubContract.UnsubscribeSpectra, linked.Token);
                _spectraConnectionId = null;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed call leaves the record as it was: a broken connection's successor asks again,
            // and the next subscriber change retries on a healthy one.
            _logger.LogWarning(ex, "Changing the spectra subscription on the hub failed");
        }
        finally
        {
            _spectraGate.Release();
        }
    }

    private async Task SpectraSubscriberLeftAsync()
    {
        try
        {
            await SyncSpectraAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The service is stopping: its connection goes, and the hub's group membership with it.
        }
    }

    private void RequestMetadataRefresh()
    {
        lock (_stateLock)
        {
            var now = _time.GetUtcNow();
            if (!_metadataRefresh.IsCompleted || now - _lastMetadataRefresh < MetadataRefreshInterval || _stopping.IsCancellationRequested)
            {
                return;
            }

            _lastMetadataRefresh = now;
            _metadataRefresh = RefreshChannelsAsync(_stopping.Token);
        }
    }

    private async Task RefreshChannelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var channels = await _http.GetFromJsonAsync(ApiPaths.Relative(ApiRoutes.Channels), ApiJsonContext.Default.ChannelStateArray, cancellationToken);
            if (channels is not null)
            {
                lock (_stateLock)
                {
                    _state.ReplaceChannels(channels);
                }

                MarkChanged();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or NotSupportedException)
        {
            _logger.LogWarning(ex, "Reloading the channel list failed");
        }
    }

    private async Task NotifyLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(NotifyInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Interlocked.Exchange(ref _dirty, 0) == 1)
                {
                    await _changed.InvokeAsync(true, _logger);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void SetConnectionState(LiveConnectionState state)
    {
        ConnectionState = state;
        MarkChanged();
    }

    private void MarkChanged() => Interlocked.Exchange(ref _dirty, 1);

    private static async Task AwaitQuietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A spectra subscriber's handle: disposing it removes the callback and, for the last one, stops the hub's pushes.</summary>
    private sealed class SpectraSubscription(LiveDataService owner, IDisposable registration) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            registration.Dispose();
            await owner.SpectraSubscriberLeftAsync();
        }
    }
}

public static class LiveDataServiceCollectionExtensions
{
    public static IServiceCollection AddLiveData(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LiveDataService>();
        services.AddSingleton<ILiveData>(static provider => provider.GetRequiredService<LiveDataService>());
        return services;
    }
}
