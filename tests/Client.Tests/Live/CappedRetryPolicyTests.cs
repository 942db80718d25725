using Clovers.Monitor.Client.Live;
using Microsoft.AspNetCore.SignalR.Client;

namespace Clovers.Monitor.Client.Tests.Live;

public sealed class CappedRetryPolicyTests
{
    private static TimeSpan? Next(CappedRetryPolicy policy, long previousAttempts) =>
        policy.NextRetryDelay(new RetryContext { PreviousRetryCount = previousAttempts, ElapsedTime = TimeSpan.FromHours(previousAttempts) });

    [Fact]
    public void NextRetryDelay_FirstAttempt_IsImmediate()
    {
        Assert.Equal(TimeSpan.Zero, Next(new CappedRetryPolicy(), 0));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(10_000)]
    public void NextRetryDelay_AfterManyAttempts_KeepsTryingAtTheCap(long previousAttempts)
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Next(new CappedRetryPolicy(), previousAttempts));
    }

    [Fact]
    public void NextRetryDelay_SmallCap_NeverExceedsIt()
    {
        var policy = new CappedRetryPolicy(TimeSpan.FromSeconds(1.5));

        Assert.All(Enumerable.Range(0, 8), attempt => Assert.True(Next(policy, attempt) <= TimeSpan.FromSeconds(1.5)));
    }
}
