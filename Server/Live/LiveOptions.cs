using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Live;

/// <summary>Configuration section <c>Live</c>: staleness and push cadence.</summary>
public sealed class LiveOptions
{
    public const string SectionName = "Live";

    /// <summary>A channel is stale after this many of its publishing periods without a reading.</summary>
    public double StaleAfterPeriods { get; set; } = 3;

    /// <summary>Floor of the staleness timeout, so a 1 Hz channel is not stale after a 3 s hiccup.</summary>
    public double MinStaleSeconds { get; set; } = 10;

    /// <summary>An agent silent this long is offline even without its last will.</summary>
    public double AgentOfflineSeconds { get; set; } = 120;

    /// <summary>Least time between two pushes to browsers; the first change after a quiet spell goes at once.</summary>
    public int PushIntervalMilliseconds { get; set; } = 50;

    /// <summary>How often staleness of channels and agents is re-evaluated.</summary>
    public double StatusRefreshSeconds { get; set; } = 1;

    /// <summary>
    /// StackExchange.Redis connection string of the SignalR backplane (for example
    /// <c>127.0.0.1:6379</c>). Set it on every Server of a scaled-out group, so a push from any of
    /// them reaches browsers connected to all; empty runs one instance without a backplane.
    /// </summary>
    public string? Redis { get; set; }
}

public sealed class LiveOptionsValidator : IValidateOptions<LiveOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveOptions options)
    {
        var problems = new List<string>();
        if (options.StaleAfterPeriods is <= 0 or > 1000)
        {
            problems.Add($"Live:StaleAfterPeriods {options.StaleAfterPeriods} is outside (0, 1000].");
        }

        if (options.MinStaleSeconds is < 0 or > 86400)
        {
            problems.Add($"Live:MinStaleSeconds {options.MinStaleSeconds} is outside [0, 86400].");
        }

        if (options.AgentOfflineSeconds is <= 0 or > 86400)
        {
            problems.Add($"Live:AgentOfflineSeconds {options.AgentOfflineSeconds} is outside (0, 86400].");
        }

        if (options.PushIntervalMilliseconds is < 20 or > 60_000)
        {
            problems.Add($"Live:PushIntervalMilliseconds {options.PushIntervalMilliseconds} is outside [20, 60000].");
        }

        if (options.StatusRefreshSeconds is < 0.05 or > 60)
        {
            problems.Add($"Live:StatusRefreshSeconds {options.StatusRefreshSeconds} is outside [0.05, 60].");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
