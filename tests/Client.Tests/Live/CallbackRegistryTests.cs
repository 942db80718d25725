using Clovers.Monitor.Client.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clovers.Monitor.Client.Tests.Live;

public sealed class CallbackRegistryTests
{
    [Fact]
    public async Task InvokeAsync_AfterHandleDisposed_SkipsThatCallback()
    {
        var registry = new CallbackRegistry<int>();
        var calls = 0;
        var handle = registry.Add(_ => { calls++; return Task.CompletedTask; });

        handle.Dispose();
        await registry.InvokeAsync(1, NullLogger.Instance);

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task InvokeAsync_OneSubscriberThrows_OthersStillCalled()
    {
        var registry = new CallbackRegistry<int>();
        var received = 0;
        using var failing = registry.Add(_ => throw new InvalidOperationException("boom"));
        using var working = registry.Add(value => { received = value; return Task.CompletedTask; });

        await registry.InvokeAsync(7, NullLogger.Instance);

        Assert.Equal(7, received);
    }
}
