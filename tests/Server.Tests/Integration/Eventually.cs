namespace Clovers.Monitor.Server.Tests.Integration;

/// <summary>Polls until a condition holds or a deadline passes; a miss fails with the last observation.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? within = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new Xunit.Sdk.XunitException($"Condition not met in time{(because is null ? string.Empty : ": " + because)}. Last value: {last}");
    }
}
