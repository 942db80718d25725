using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Clovers.Monitor.Client.Live;

/// <summary>
/// Subscribers of one kind of notification. Registration hands out a handle that removes the
/// callback when disposed; one failing subscriber is logged and never stops the others.
/// </summary>
public sealed class CallbackRegistry<T>
{
    private ImmutableArray<Func<T, Task>> _callbacks = [];

    public int Count => _callbacks.Length;

    public IDisposable Add(Func<T, Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ImmutableInterlocked.Update(ref _callbacks, static (list, item) => list.Add(item), callback);
        return new Registration(this, callback);
    }

    public async Task InvokeAsync(T argument, ILogger logger)
    {
        foreach (var callback in _callbacks)
        {
            try
            {
                await callback(argument);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "A live-data subscriber failed");
            }
        }
    }

    private void Remove(Func<T, Task> callback) =>
        ImmutableInterlocked.Update(ref _callbacks, static (list, item) => list.Remove(item), callback);

    private sealed class Registration(CallbackRegistry<T> owner, Func<T, Task> callback) : IDisposable
    {
        private CallbackRegistry<T>? _owner = owner;

        public void Dispose()
        {
            Interlocked.Exchange(ref _owner, null)?.Remove(callback);
        }
    }
}
