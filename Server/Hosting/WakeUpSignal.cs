namespace Clovers.Monitor.Server.Hosting;

/// <summary>
/// Wakes a background loop that drains a queue. Producers call <see cref="Set"/> without blocking;
/// at most one wake-up is held, which is enough because the loop drains everything offered before
/// it runs.
/// </summary>
public sealed class WakeUpSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another producer set it in between: one pending wake-up is all the loop needs.
            }
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _semaphore.WaitAsync(cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
