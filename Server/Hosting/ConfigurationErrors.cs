using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Hosting;

/// <summary>Turns the options validation failures of a failed start into one readable list.</summary>
public static class ConfigurationErrors
{
    public static IReadOnlyList<string>? TryCollect(Exception exception)
    {
        var failures = exception switch
        {
            OptionsValidationException single => single.Failures.ToList(),
            AggregateException aggregate when aggregate.Flatten().InnerExceptions.All(e => e is OptionsValidationException) =>
                aggregate.Flatten().InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
            _ => null,
        };
        return failures is { Count: > 0 } ? failures : null;
    }
}
