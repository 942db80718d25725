using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Storage;

/// <summary>Checks the <c>Storage</c> section at start and reports every problem at once.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var problems = new List<string>();
        if (!string.Equals(options.Provider, StorageProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(options.Provider)} '{options.Provider}' is unknown; use '{StorageProviders.Sqlite}'.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(options.DataDirectory)} must name a folder.");
        }

        if (options.MaxBatchSize <= 0)
        {
            problems.Add($"{StorageOptions.SectionName}:{nameof(options.MaxBatchSize)} must be positive (was {options.MaxBatchSize}).");
        }

        (string Name, TimeSpan Value)[] retentions =
        [
            (nameof(options.RawRetention), options.RawRetention),
            (nameof(options.TenSecondRollupRetention), options.TenSecondRollupRetention),
            (nameof(options.OneMinuteRollupRetention), options.OneMinuteRollupRetention),
            (nameof(options.TenMinuteRollupRetention), options.TenMinuteRollupRetention),
            (nameof(options.OneHourRollupRetention), options.OneHourRollupRetention),
        ];
        foreach (var (retentionName, value) in retentions)
        {
            if (value < TimeSpan.FromHours(1))
            {
                problems.Add($"{StorageOptions.SectionName}:{retentionName} must be at least one hour (was {value}).");
            }
        }

        // A coarser tier serves the ranges a finer one has dropped, so it must keep at least as long.
        for (var i = 1; i < retentions.Length; i++)
        {
            if (retentions[i].Value < retentions[i - 1].Value)
            {
                problems.Add(
                    $"{StorageOptions.SectionName}:{retentions[i].Name} ({retentions[i].Value}) must be at least {retentions[i - 1].Name} ({retentions[i - 1].Value}).");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
