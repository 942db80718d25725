using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Live;
using Microsoft.AspNetCore.SignalR;

namespace Clovers.Monitor.Server.Alarms.Live;

/// <summary>
/// Sends alarm changes to every browser at once (<see cref="IMonitorClient.AlarmsUpdated"/>).
/// Each drain of <see cref="AlarmPushQueue"/> becomes one push; within it, several transitions of
/// one alarm occurrence collapse into its newest view, while distinct occurrences all go out.
/// </summary>
public sealed class AlarmPusher(
    AlarmPushQueue queue,
    AlarmEngine engine,
    IHubContext<MonitorHub, IMonitorClient> hub,
    ILogger<AlarmPusher> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    private long _pushFailures;

    public long PushFailures => Interlocked.Read(ref _pushFailures);

    /// <summary>
    /// The views to push for <paramref name="transitions"/>, in order of each alarm's last change:
    /// the engine's view while the occurrence is current (it carries shelve details), otherwise
    /// the view the transition describes.
    /// </summary>
    public static IReadOnlyList<AlarmView> ViewsOf(IReadOnlyList<AlarmTransition> transitions, Func<string, AlarmView?> current)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(current);
        var newest = new Dictionary<string, (int Order, AlarmTransition Transition)>(StringComparer.Ordinal);
        for (var i = 0; i < transitions.Count; i++)
        {
            newest[transitions[i].AlarmId] = (i, transitions[i]);
        }

        return [.. newest.Values.OrderBy(e => e.Order).Select(e => ViewOf(e.Transition, current(e.Transition.RuleId)))];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AlarmTransition>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var transition))
                {
                    batch.Add(transition);
                }

                await PushAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static AlarmView ViewOf(AlarmTransition transition, AlarmView? current) =>
        current is not null && string.Equals(current.AlarmId, transition.AlarmId, StringComparison.Ordinal)
            ? current
            : new AlarmView(
                transition.AlarmId,
                transition.RuleId,
                transition.RuleName,
                transition.Severity,
                transition.To,
                transition.ConditionActive,
                transition.Flapping,
                transition.At,
                transition.Value,
                transition.GroupKey,
                null);

    private async Task PushAsync(List<AlarmTransition> batch, CancellationToken cancellationToken)
    {
        try
        {
            var views = ViewsOf(batch, engine.Find);
            await hub.Clients.All.AlarmsUpdated(views).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Interlocked.Increment(ref _pushFailures);
            logger.LogError(exception, "Pushing {Count} alarm changes to browsers failed", batch.Count);
        }
    }
}
