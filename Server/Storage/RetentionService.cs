using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage;

/// <summary>Configuration section <c>Storage:Retention</c>: how often old time-series rows are deleted.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = StorageOptions.SectionName + ":Retention";

    public const int MaxIntervalMinutes = 7 * 24 * 60;

    public const int MaxFirstRunDelaySeconds = 3600;

    /// <summary>Minutes between two retention passes.</summary>
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Seconds after start before the first pass, so it does not compete with start-up.</summary>
    public int FirstRunDelaySeconds { get; set; } = 30;
}

/// <summary>Checks the <c>Storage:Retention</c> section at start and reports every problem at once.</summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var problems = new List<string>();
        if (options.IntervalMinutes is < 1 or > RetentionOptions.MaxIntervalMinutes)
        {
            problems.Add(
                $"{RetentionOptions.SectionName}:{nameof(options.IntervalMinutes)} must be 1 to {RetentionOptions.MaxIntervalMinutes} (was {options.IntervalMinutes}).");
        }

        if (options.FirstRunDelaySeconds is < 0 or > RetentionOptions.MaxFirstRunDelaySeconds)
        {
            problems.Add(
                $"{RetentionOptions.SectionName}:{nameof(options.FirstRunDelaySeconds)} must be 0 to {RetentionOptions.MaxFirstRunDelaySeconds} (was {options.FirstRunDelaySeconds}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// Deletes time-series rows past their retention: once shortly after start, then every
/// <see cref="RetentionOptions.IntervalMinutes"/>. Only the embedded SQLite store needs this
/// (other providers expire data themselves). A failed pass is logged and counted, and the next
/// one runs on schedule.
/// </summary>
public sealed class RetentionService : BackgroundService
{
    private readonly ITimeSeriesStore _store;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionService> _logger;
    private long _passes;
    private long _failures;
    private RetentionReport? _lastReport;
    private long _lastPassAtTicks;

    public RetentionService(ITimeSeriesStore store, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Passes that completed.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>Passes that failed.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>What the last completed pass deleted; null before one completed.</summary>
    public RetentionReport? LastReport => Volatile.Read(ref _lastReport);

    /// <summary>The time the last completed pass cut off from; null before one completed.</summary>
    public DateTimeOffset? LastPassAt =>
        Interlocked.Read(ref _lastPassAtTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_store is not SqliteTimeSeriesStore sqlite)
        {
            _logger.LogInformation("Time-series store {Store} keeps its own retention; no passes scheduled", _store.GetType().Name);
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_options.FirstRunDelaySeconds), _time, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(_options.IntervalMinutes), _time);
            do
            {
                await RunPassAsync(sqlite, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunPassAsync(SqliteTimeSeriesStore store, CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var report = await store.ApplyRetentionAsync(now, stoppingToken);
            Volatile.Write(ref _lastReport, report);
            Interlocked.Exchange(ref _lastPassAtTicks, now.UtcTicks);
            Interlocked.Increment(ref _passes);
            if (report.RawRowsDeleted + report.RollupRowsDeleted > 0)
            {
                _logger.LogInformation(
                    "Retention deleted {Raw} raw readings and {Rollup} rollup buckets older than their retention at {Now}",
                    report.RawRowsDeleted, report.RollupRowsDeleted, now);
            }
            else
            {
                _logger.LogDebug("Retention found nothing to delete at {Now}", now);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            _logger.LogError(exception, "Retention pass at {Now} failed; the next one runs in {Interval} min", now, _options.IntervalMinutes);
        }
    }
}
