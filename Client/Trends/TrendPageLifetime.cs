using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace Clovers.Monitor.Client.Trends;

/// <summary>
/// What a page with live trend charts starts and must stop: a token for the page's whole life, one
/// for the history load in progress (a new load cancels the last, so a slow answer never draws
/// over a newer choice), and the loop that flushes live points into the charts. Disposing ends all.
/// </summary>
public sealed class TrendPageLifetime : IAsyncDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _disposing = new();
    private CancellationTokenSource? _load;
    private Task _flushLoop = Task.CompletedTask;

    /// <summary>Cancelled when the page goes away.</summary>
    public CancellationToken Disposing => _disposing.Token;

    public bool IsDisposing => _disposing.IsCancellationRequested;

    /// <summary>The token appends run under: the current load's, so that a reload cancels an append in flight.</summary>
    public CancellationToken AppendToken => _load?.Token ?? _disposing.Token;

    /// <summary>The current load's token while it has not been cancelled; null before the first load and after <see cref="CancelLoad"/>.</summary>
    public CancellationToken? ActiveLoad => _load is { IsCancellationRequested: false } load ? load.Token : null;

    /// <summary>Cancels the load in progress, if any, and returns the token of a new one.</summary>
    public async Task<CancellationToken> BeginLoadAsync()
    {
        if (_load is not null)
        {
            await _load.CancelAsync();
            _load.Dispose();
        }

        _load = CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token);
        return _load.Token;
    }

    /// <summary>Cancels the load in progress, if any, without starting another.</summary>
    public void CancelLoad() => _load?.Cancel();

    /// <summary>
    /// Ticks every <see cref="FlushInterval"/> until the page goes away and runs
    /// <paramref name="flushAsync"/> through the component's dispatcher (<paramref name="invokeAsync"/>).
    /// A failed append is logged and the next tick tries again; one cancelled by a reload is dropped,
    /// as the reload redraws everything anyway.
    /// </summary>
    public void StartFlushLoop(TimeProvider time, Func<Func<Task>, Task> invokeAsync, Func<Task> flushAsync, ILogger logger) =>
        _flushLoop = FlushLoopAsync(time, invokeAsync, flushAsync, logger, _disposing.Token);

    public async ValueTask DisposeAsync()
    {
        _load?.Cancel();
        await _disposing.CancelAsync();
        try
        {
            await _flushLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _load?.Dispose();
        _disposing.Dispose();
    }

    private static async Task FlushLoopAsync(
        TimeProvider time,
        Func<Func<Task>, Task> invokeAsync,
        Func<Task> flushAsync,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await invokeAsync(flushAsync);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (JSException ex)
            {
                logger.LogWarning(ex, "Appending live points to a trend chart failed");
            }
        }
    }
}
