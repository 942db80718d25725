using Microsoft.AspNetCore.SignalR.Client;

namespace Clovers.Monitor.Client.Live;

/// <summary>
/// Reconnect delays that grow from immediate to a cap and never give up: a control-room screen
/// left open overnight must come back by itself whenever the server does.
/// </summary>
public sealed class CappedRetryPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(5),
    ];

    public CappedRetryPolicy(TimeSpan? cap = null)
    {
        Cap = cap ?? TimeSpan.FromSeconds(10);
    }

    public TimeSpan Cap { get; }

    public TimeSpan? NextRetryDelay(RetryContext retryContext) => DelayFor(retryContext.PreviousRetryCount);

    public TimeSpan DelayFor(long previousAttempts)
    {
        var delay = previousAttempts < Steps.Length ? Steps[previousAttempts] : Cap;
        return delay < Cap ? delay : Cap;
    }
}
