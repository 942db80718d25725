using System.Text.RegularExpressions;
using Clovers.Monitor.Server.Control;
using Clovers.Monitor.Server.Live;
using Clovers.Monitor.Server.Logbook;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Handover;

/// <summary>
/// Builds the shift handover report of a window from what is stored: the alarm history, the
/// time-series store (beam, LN2 level, HV setpoints), the HV command log (who commanded a setpoint
/// change) and the logbook. Nothing is kept in memory
/// between reports, so any past window can be asked for.
/// </summary>
public sealed partial class HandoverReportBuilder(
    IOptions<HandoverOptions> options,
    AlarmHistoryReader alarms,
    ITimeSeriesStore series,
    LiveStateStore live,
    LogbookService logbook,
    ControlCommandStore commands,
    TimeProvider time)
{
    /// <summary>Longest window a report covers.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    /// <summary>Resolution of the integrations: one bucket a minute, fewer over long windows.</summary>
    private static readonly TimeSpan s_resolution = TimeSpan.FromMinutes(1);

    private const int MaxBuckets = 10_000;

    private const int MaxLogbookEntries = LogbookRoutes.MaxLimit;

    /// <summary>Most HV commands read for one report; far more than any shift sees.</summary>
    private const int MaxHvCommands = 10_000;

    private readonly HandoverOptions _options = options.Value;

    /// <summary>The current shift: from its start to its planned end.</summary>
    public (DateTimeOffset From, DateTimeOffset To) CurrentShift() => _options.ShiftAt(time.GetUtcNow());

    public async Task<HandoverReport> BuildAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var buckets = (int)Math.Clamp(Math.Ceiling((to - from) / s_resolution), 1, MaxBuckets);

        var transitions = await alarms.TransitionsAsync(from, to, cancellationToken);
        var open = await alarms.OpenAtAsync(to < now ? to : now, cancellationToken);
        var alarmSummary = new HandoverAlarms(
            transitions.Where(AlarmHistoryReader.IsRaise).Select(ToAlarm).ToList(),
            transitions.Where(AlarmHistoryReader.IsAcknowledgement).Select(ToAlarm).ToList(),
            open.Select(ToAlarm).ToList());

        var beamHistory = await series.QueryAsync(_options.BeamChannel, from, to, buckets, cancellationToken);
        var beam = HandoverCalculations.Beam(beamHistory.Buckets, beamHistory.BucketWidth, _options);

        var ln2History = await series.QueryAsync(_options.Ln2LevelChannel, from, to, buckets, cancellationToken);
        var refills = HandoverCalculations.Refills(ln2History.Buckets, _options.RefillMinRisePercent);

        var hvChanges = new List<HandoverHvChange>();
        var bucketWidth = s_resolution;
        foreach (var channel in HvSetpointChannels())
        {
            var history = await series.QueryAsync(channel, from, to, buckets, cancellationToken);
            bucketWidth = history.BucketWidth;
            hvChanges.AddRange(HandoverCalculations.SetpointChanges(channel, history.Buckets, _options.HvChangeMinVolts));
        }

        var tolerance = TimeSpan.FromSeconds(_options.HvCommandMatchSeconds);
        // A command is requested before the agent accepts it: reach back twice the tolerance so a slow reply still counts.
        var hvCommands = await commands.AcceptedBetweenAsync(from - (2 * tolerance), to, MaxHvCommands, cancellationToken);
        var attributed = HandoverCalculations.AttributeCommands(hvChanges, hvCommands, bucketWidth, tolerance, _options.HvChangeMinVolts);

        var entries = await logbook.ListAsync(
            new LogbookFilter(from, to, IncludeAlarmComments: false, Limit: MaxLogbookEntries), cancellationToken);

        return new HandoverReport(
            from,
            to,
            now,
            alarmSummary,
            beam,
            refills,
            [.. attributed.OrderBy(c => c.At).ThenBy(c => c.Channel, StringComparer.Ordinal)],
            [.. entries.Entries.OrderBy(e => e.At)]);
    }

    private IEnumerable<string> HvSetpointChannels() =>
        _options.EffectiveHvSetpointChannels
            .Concat(live.Snapshot().Channels.Select(c => c.Id).Where(id => HvSetpointRegex().IsMatch(id)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    private static HandoverAlarm ToAlarm(AlarmHistoryEntry entry) =>
        new(entry.AlarmId, entry.RuleId, entry.RuleName, entry.Severity, entry.To, entry.At, entry.User, entry.Comment);

    [GeneratedRegex(@"^pmt\.[a-z0-9_-]+\.hv\.set$", RegexOptions.CultureInvariant)]
    private static partial Regex HvSetpointRegex();
}
