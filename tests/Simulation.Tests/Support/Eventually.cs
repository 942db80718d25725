namespace Clovers.Monitor.Simulation.Tests.Support;

/// <summary>Waits for a condition that a background loop brings about, within a bound.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, double timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }
}
