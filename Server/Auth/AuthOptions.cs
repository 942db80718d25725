using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Auth;

/// <summary>The <c>Auth</c> section: who may read without logging in, and how logins are guarded.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Anonymous users may read (GETs and the hub), never write.</summary>
    public bool AnonymousRead { get; set; } = true;

    /// <summary>Failed logins in a row before an account is locked.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Login attempts allowed per client address and minute; more are answered 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 20;

    /// <summary>How long a browser stays logged in without using the dashboard.</summary>
    public int SessionHours { get; set; } = 12;

    /// <summary>Least password length for new passwords.</summary>
    public int MinPasswordLength { get; set; } = 10;
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new List<string>();
        if (options.MaxFailedLogins is < 1 or > 100)
        {
            problems.Add("Auth:MaxFailedLogins must be from 1 to 100.");
        }

        if (options.LockoutMinutes is < 1 or > 24 * 60)
        {
            problems.Add("Auth:LockoutMinutes must be from 1 to 1440.");
        }

        if (options.LoginAttemptsPerMinute is < 1 or > 10_000)
        {
            problems.Add("Auth:LoginAttemptsPerMinute must be from 1 to 10000.");
        }

        if (options.SessionHours is < 1 or > 24 * 30)
        {
            problems.Add("Auth:SessionHours must be from 1 to 720.");
        }

        if (options.MinPasswordLength is < 8 or > 128)
        {
            problems.Add("Auth:MinPasswordLength must be from 8 to 128.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
