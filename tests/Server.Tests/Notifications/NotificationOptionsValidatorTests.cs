using Clovers.Monitor.Server.Notifications;

namespace Clovers.Monitor.Server.Tests.Notifications;

public sealed class NotificationOptionsValidatorTests
{
    private const string Password = "s3cret-Hunter2";

    private static readonly NotificationOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(Validator.Validate(null, new NotificationOptions()).Succeeded);
    }

    [Fact]
    public void Validate_ManyMistakes_ListsEveryProblem()
    {
        var options = new NotificationOptions
        {
            Smtp = new SmtpSettings { Host = "smtp.example.org", Port = 70000, From = "not an address", Password = Password },
            Webhooks = [new WebhookTarget { Name = "chat", Url = "ftp://example.org/hook" }],
            Roster = [new OnCallEntry { Name = "Alice", Webhook = "pager" }],
            EscalateAfterMinutes = -1,
            GroupWindowSeconds = double.NaN,
            Silences = [new NotificationSilence { Start = DateTimeOffset.UnixEpoch.AddDays(1), End = DateTimeOffset.UnixEpoch, Reason = "" }],
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Smtp:Port", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Smtp:From", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Username and Password", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Webhooks:0:Url", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'pager'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("EscalateAfterMinutes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("GroupWindowSeconds", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Silences:0 ends", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Silences:0:Reason", StringComparison.Ordinal));
        Assert.Equal(9, failures.Count);
    }

    [Fact]
    public void Validate_RosterEmailWithoutSmtp_Fails()
    {
        var options = new NotificationOptions { Roster = [new OnCallEntry { Name = "Bob", Email = "bob@example.org" }] };

        Assert.Contains(Validator.Validate(null, options).Failures!, f => f.Contains("Smtp:Host is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_InvalidSmtpWithPassword_NeverEchoesPassword()
    {
        var options = new NotificationOptions
        {
            Smtp = new SmtpSettings { Host = "smtp.example.org", Port = 0, From = "nobody", Password = Password },
            Webhooks = [new WebhookTarget { Name = "", Url = "https://hooks.example.org/" + Password + " x" }],
        };

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.DoesNotContain(Password, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, options.Smtp.ToString(), StringComparison.Ordinal);
    }
}
