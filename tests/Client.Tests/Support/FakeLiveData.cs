using System.Collections.Immutable;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Client.Tests.Support;

/// <summary>The components' seam to live data, driven by the test instead of a hub.</summary>
public sealed class FakeLiveData : ILiveData
{
    private readonly CallbackRegistry<bool> _changed = new();
    private readonly CallbackRegistry<IReadOnlyList<ChannelUpdate>> _updates = new();
    private readonly CallbackRegistry<DateTimeOffset> _backfill = new();
    private readonly CallbackRegistry<SpectraUpdate> _spectra = new();

    public LiveConnectionState ConnectionState { get; set; } = LiveConnectionState.Connected;

    public bool Simulation { get; set; }

    public string? ServerVersion { get; set; }

    public TimeSpan ServerClockOffset { get; set; }

    public IReadOnlyDictionary<string, ChannelState> Channels { get; private set; } = ImmutableDictionary<string, ChannelState>.Empty;

    public IReadOnlyDictionary<string, AgentInfo> Agents { get; private set; } = ImmutableDictionary<string, AgentInfo>.Empty;

    public IReadOnlyDictionary<string, AlarmView> Alarms { get; private set; } = ImmutableDictionary<string, AlarmView>.Empty;

    public int StartCalls { get; private set; }

    public int ChangedSubscribers => _changed.Count;

    public int UpdateSubscribers => _updates.Count;

    public int SpectraSubscribers => _spectra.Count;

    public void SetChannels(params ChannelState[] channels) =>
        Channels = channels.ToImmutableDictionary(static c => c.Id, StringComparer.Ordinal);

    public void SetAgents(params AgentInfo[] agents) =>
        Agents = agents.ToImmutableDictionary(static a => a.Id, StringComparer.Ordinal);

    public void SetAlarms(params AlarmView[] alarms) =>
        Alarms = alarms.ToImmutableDictionary(static a => a.RuleId, StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        StartCalls++;
        return Task.CompletedTask;
    }

    public IDisposable SubscribeChanged(Func<Task> onChanged) => _changed.Add(_ => onChanged());

    public IDisposable SubscribeChannelUpdates(Func<IReadOnlyList<ChannelUpdate>, Task> onUpdates) => _updates.Add(onUpdates);

    public IDisposable SubscribeBackfillNeeded(Func<DateTimeOffset, Task> onBackfillNeeded) => _backfill.Add(onBackfillNeeded);

    public Task<IAsyncDisposable> SubscribeSpectraAsync(Func<SpectraUpdate, Task> onUpdate, CancellationToken cancellationToken = default) =>
        Task.FromResult<IAsyncDisposable>(new AsyncRegistration(_spectra.Add(onUpdate)));

    public Task RaiseChangedAsync() => _changed.InvokeAsync(true, NullLogger.Instance);

    public Task PushUpdatesAsync(params ChannelUpdate[] updates) => _updates.InvokeAsync(updates, NullLogger.Instance);

    public Task RaiseBackfillAsync(DateTimeOffset since) => _backfill.InvokeAsync(since, NullLogger.Instance);

    public Task PushSpectraAsync(SpectraUpdate update) => _spectra.InvokeAsync(update, NullLogger.Instance);

    private sealed class AsyncRegistration(IDisposable registration) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            registration.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
