using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Hosting;

/// <summary>
/// Checks every options section before anything starts and turns all their problems — values
/// that do not convert as well as values that fail validation — into one readable list.
/// </summary>
public static class ConfigurationErrors
{
    /// <summary>Exit code of a start refused for bad configuration.</summary>
    public const int ExitCode = 2;

    /// <summary>Every problem of every section registered with <see cref="OptionsRegistration.AddValidatedOptions{TOptions, TValidator}"/>, then of any other ValidateOnStart section.</summary>
    public static IReadOnlyList<string> Collect(IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (var section in services.GetServices<ValidatedSection>())
        {
            // Each section is read on its own, so one that fails does not hide the next.
            AddProblems(problems, () => section.Read(services));
        }

        if (problems.Count == 0)
        {
            AddProblems(problems, () => services.GetRequiredService<IStartupValidator>().Validate());
        }

        return problems;
    }

    /// <summary>The problems behind a failed start, or null when it failed for another reason.</summary>
    public static IReadOnlyList<string>? TryCollect(Exception exception)
    {
        var problems = new List<string>();
        return Describe(exception, problems) && problems.Count > 0 ? problems : null;
    }

    /// <summary>Prints the problems for the operator and returns the process exit code.</summary>
    public static async Task<int> ReportAsync(IReadOnlyList<string> problems)
    {
        await Console.Error.WriteLineAsync("CLOVERS Monitor cannot start: the configuration has these problems:");
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"  - {problem}");
        }

        return ExitCode;
    }

    private static void AddProblems(List<string> problems, Action read)
    {
        try
        {
            read();
        }
        catch (Exception exception) when (Describe(exception, problems))
        {
        }
    }

    private static bool Describe(Exception exception, List<string> problems)
    {
        switch (exception)
        {
            case OptionsValidationException validation:
                problems.AddRange(validation.Failures);
                return true;
            case AggregateException aggregate when aggregate.Flatten().InnerExceptions.All(e => e is OptionsValidationException or InvalidOperationException { InnerException: ArgumentException or FormatException }):
                return aggregate.Flatten().InnerExceptions.All(e => Describe(e, problems));
            case InvalidOperationException { InnerException: ArgumentException or FormatException } conversion:
                // The binder's own words name the key and the value: "Failed to convert configuration value 'abc' at 'Mqtt:Port' to type 'System.Int32'."
                problems.Add(conversion.Message);
                return true;
            default:
                return false;
        }
    }
}

/// <summary>An options section checked before the Server starts: reading it binds and validates it.</summary>
public sealed record ValidatedSection(Type OptionsType, Action<IServiceProvider> Read);
