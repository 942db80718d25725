using System.Threading.Channels;
using Clovers.Monitor.Server.Ingest;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Spectra;

/// <summary>
/// The spectra stage of the pipeline. Accepted histogram sets wait in a small queue of their own
/// (when it overflows the oldest set goes: each set holds the whole run so far, so the next one
/// carries what was lost) and are then, one at a time: merged into the <see cref="SpectraStore"/>,
/// written to state.db (latest every few seconds, snapshots every few minutes), fitted for SPE
/// gains, compared with the reference shape, and offered to the live pusher. Derived readings go
/// back into the ingest pipeline, so they are stored, shown and alarmed like published ones.
/// </summary>
public sealed class SpectraProcessor : BackgroundService, IIngestStage
{
    public const int QueueCapacity = 16;

    private readonly Channel<AcceptedHistograms> _queue;
    private readonly SpectraStore _store;
    private readonly SpectraRepository _repository;
    private readonly SpeGainTracker _gains;
    private readonly SpeGainReferenceStore _gainReferences;
    private readonly ShapeMonitor _shapes;
    private readonly SpectraPusher _pusher;
    private readonly IngestPipeline _pipeline;
    private readonly DaqIngest _daqIngest;
    private readonly SpectraOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SpectraProcessor> _logger;
    private readonly Dictionary<string, DateTimeOffset> _lastLatestWrite = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Run, DateTimeOffset At)> _lastSnapshot = new(StringComparer.Ordinal);
    private long _dropped;
    private long _failures;
    private long _readingSeq;

    public SpectraProcessor(
        SpectraStore store,
        SpectraRepository repository,
        SpeGainTracker gains,
        SpeGainReferenceStore gainReferences,
        ShapeMonitor shapes,
        SpectraPusher pusher,
        IngestPipeline pipeline,
        DaqIngest daqIngest,
        IOptions<SpectraOptions> options,
        TimeProvider time,
        ILogger<SpectraProcessor> logger)
    {
        _store = store;
        _repository = repository;
        _gains = gains;
        _gainReferences = gainReferences;
        _shapes = shapes;
        _pusher = pusher;
        _pipeline = pipeline;
        _daqIngest = daqIngest;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _readingSeq = time.GetUtcNow().ToUnixTimeMilliseconds();
        _queue = Channel.CreateBounded<AcceptedHistograms>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public string Name => "spectra";

    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Sets dropped because the queue was full (superseded by a later set of the same run).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Failures => Interlocked.Read(ref _failures);

    public ValueTask ProcessAsync(IngestItem item, CancellationToken cancellationToken)
    {
        if (item is AcceptedHistograms histograms)
        {
            _queue.Writer.TryWrite(histograms);
        }

        return ValueTask.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        foreach (var daq in _store.All())
        {
            try
            {
                await _repository.WriteLatestAsync(daq.Totals, daq.Histograms.Values, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _logger.LogWarning(exception, "Could not write the latest spectra of {Daq} at shutdown", daq.Totals.DaqId);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var (totals, histograms) in await _repository.LoadNewestRunsAsync(stoppingToken))
            {
                _store.Load(totals, histograms);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(exception, "Could not load the stored spectra; starting empty");
        }

        try
        {
            _gains.LoadReferences(await _gainReferences.LoadAsync(null, stoppingToken));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(exception, "Could not load the stored SPE gain references; the first stable fits will be taken again");
        }

        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(item, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _failures);
                    _logger.LogError(exception, "Processing histograms of {Daq} run {Run} seq {Seq} failed", item.Set.DaqId, item.Set.Run, item.Set.Seq);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Everything one accepted set leads to; public for tests that drive the stage without a host.</summary>
    public async Task HandleAsync(AcceptedHistograms item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var set = item.Set;
        var now = _time.GetUtcNow();
        var (current, endedRun) = _store.Apply(set);
        if (endedRun is not null)
        {
            await _repository.WriteLatestAsync(endedRun.Totals, endedRun.Histograms.Values, cancellationToken);
        }

        var daq = set.DaqId;
        if (endedRun is not null || !_lastLatestWrite.TryGetValue(daq, out var written) || now - written >= TimeSpan.FromSeconds(_options.LatestWriteSeconds))
        {
            await _repository.WriteLatestAsync(current.Totals, current.Histograms.Values, cancellationToken);
            _lastLatestWrite[daq] = now;
        }

        if (!_lastSnapshot.TryGetValue(daq, out var snapshot) || snapshot.Run != set.Run || now - snapshot.At >= TimeSpan.FromMinutes(_options.SnapshotIntervalMinutes))
        {
            await _repository.WriteSnapshotAsync(current.Totals, current.Histograms.Values, now, cancellationToken);
            _lastSnapshot[daq] = (set.Run, now);
        }

        var readings = new List<Reading>(_gains.Observe(set, now));
        await SaveNewGainReferencesAsync(cancellationToken);
        readings.AddRange(await _shapes.CheckAsync(current, now, cancellationToken));
        if (readings.Count > 0)
        {
            await _daqIngest.EnsureAnnouncedAsync(daq, now, cancellationToken);
            await _pipeline.PublishAsync(new AcceptedReadings(daq, now, Interlocked.Increment(ref _readingSeq), false, readings), cancellationToken);
        }

        _pusher.Offer(current.ToUpdate());
    }

    /// <summary>
    /// Writes the references the gain tracker took from first stable fits (rare: once per PMT
    /// ever). A failed write is retried with the next set, and the reference holds in memory meanwhile.
    /// </summary>
    private async Task SaveNewGainReferencesAsync(CancellationToken cancellationToken)
    {
        var unsaved = _gains.TakeUnsavedReferences();
        if (unsaved.Count == 0)
        {
            return;
        }

        try
        {
            await _gainReferences.SaveAsync(unsaved, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _gains.ReturnUnsavedReferences(unsaved);
            _logger.LogWarning(exception, "Could not store {Count} SPE gain reference(s); retrying with the next histograms", unsaved.Count);
        }
    }
}
