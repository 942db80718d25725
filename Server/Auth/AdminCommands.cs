using System.Text;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.State;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// Console commands run instead of the server, on the same configuration and data folder:
/// <code>
/// dotnet run --project Server -- create-admin NAME
/// dotnet run --project Server -- reset-password NAME
/// </code>
/// The password is read from standard input (one line; typed without echo at a terminal). When
/// it is empty, one is generated and printed once. There is no default password anywhere.
/// </summary>
public static class AdminCommands
{
    public const string CreateAdmin = "create-admin";
    public const string ResetPassword = "reset-password";

    /// <summary>The acting user the audit log names for these commands.</summary>
    public const string ConsoleUser = "console";

    /// <summary>Whether <paramref name="args"/> ask for a command rather than the server.</summary>
    public static bool IsCommand(string[] args) =>
        args is { Length: > 0 } && (args[0] == CreateAdmin || args[0] == ResetPassword);

    /// <summary>Runs the command of <paramref name="args"/>; the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length < 2 || args[1].StartsWith('-'))
        {
            await error.WriteLineAsync($"Usage: {CreateAdmin} NAME | {ResetPassword} NAME (password on standard input; empty: generated)");
            return 2;
        }

        var name = args[1];
        await services.GetRequiredService<StateDatabase>().MigrateAsync();
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var audit = scope.ServiceProvider.GetRequiredService<IAuditLog>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var existing = await accounts.FindAsync(name);
        if (args[0] == CreateAdmin && existing is not null)
        {
            await error.WriteLineAsync($"An account '{name}' exists already; use {ResetPassword} to give it a new password.");
            return 1;
        }

        if (args[0] == ResetPassword && existing is null)
        {
            await error.WriteLineAsync($"No account '{name}'.");
            return 1;
        }

        var password = ReadPassword(input, output, name);
        var result = args[0] == CreateAdmin
            ? await accounts.CreateAsync(name, MonitorRoles.Admin, password)
            : await accounts.SetPasswordAsync(existing!, password);
        var action = args[0] == CreateAdmin ? AuditActions.UserCreated : AuditActions.PasswordSet;
        await audit.AppendAsync(time, ConsoleUser, action, name, result.Succeeded ? AuditActions.Succeeded : AuditActions.Refused, CancellationToken.None,
            newValue: args[0] == CreateAdmin ? MonitorRoles.Admin : null);
        if (!result.Succeeded)
        {
            foreach (var problem in result.Errors)
            {
                await error.WriteLineAsync(problem);
            }

            return 1;
        }

        await output.WriteLineAsync(args[0] == CreateAdmin ? $"Created admin '{name}'." : $"New password set for '{name}'; the account is unlocked.");
        if (result.GeneratedPassword is { } generated)
        {
            await output.WriteLineAsync($"Password (shown once): {generated}");
        }

        return 0;
    }

    private static string? ReadPassword(TextReader input, TextWriter output, string name)
    {
        if (!ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
        {
            return input.ReadLine()?.TrimEnd('\r', '\n');
        }

        output.Write($"Password for '{name}' (empty: generate one): ");
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                output.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
