namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>Polls until a condition holds, within a bound, and says what was last seen when it does not.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Probes until <paramref name="done"/> holds and returns that value; fails the test with
    /// <paramref name="describe"/> of the last value after <paramref name="timeout"/>. Probes at
    /// least once even when the time is already up.
    /// </summary>
    public static async Task<T> MatchesAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Not within {Math.Max(0, timeout.TotalSeconds):0.#} s: {describe(value)}");
            }

            await Task.Delay(Interval);
        }
    }
}
