using Clovers.Monitor.Shared.Alarms;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>
/// Configuration section <c>Notifications</c>: where alarm messages go (e-mail, webhooks), who is on
/// call, grouping, escalation and maintenance silences. Nothing is sent while the roster and the
/// webhook list are both empty.
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>
    /// Webhook endpoints. One named by a roster entry is that person's; one named by no roster entry
    /// is a shared channel (the control-room chat) and gets every first notification and clearance.
    /// </summary>
    public List<WebhookTarget> Webhooks { get; set; } = [];

    /// <summary>On-call people in escalation order: the first gets every alarm, the next when it stays unacknowledged.</summary>
    public List<OnCallEntry> Roster { get; set; } = [];

    /// <summary>An alarm still unacknowledged this long after its last message goes to the next roster entry; 0 turns escalation off.</summary>
    public double EscalateAfterMinutes { get; set; } = 15;

    /// <summary>Activations sharing a group key within this window of the first go out as one message; 0 sends each at once.</summary>
    public double GroupWindowSeconds { get; set; } = 30;

    /// <summary>
    /// Severities that notify. Empty in code because the binder appends to a list's defaults;
    /// empty means <see cref="DefaultNotifyOn"/> (major and critical).
    /// </summary>
    public List<AlarmSeverity> NotifyOn { get; set; } = [];

    /// <summary>Also send a "cleared" message when a notified alarm returns to normal.</summary>
    public bool NotifyCleared { get; set; }

    /// <summary>Maintenance windows: notifications of matching alarms are recorded as silenced, not sent.</summary>
    public List<NotificationSilence> Silences { get; set; } = [];

    /// <summary>Link to the dashboard put into every message, when set.</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>Delivery attempts before a message is marked failed; retries back off exponentially up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    public int MaxAttempts { get; set; } = 100;

    public double MaxRetryDelaySeconds { get; set; } = 600;

    /// <summary>How often the delivery worker looks for due messages when nothing new was queued.</summary>
    public double PollSeconds { get; set; } = 5;

    public static IReadOnlyList<AlarmSeverity> DefaultNotifyOn { get; } = [AlarmSeverity.Major, AlarmSeverity.Critical];

    public IReadOnlyList<AlarmSeverity> EffectiveNotifyOn => NotifyOn.Count == 0 ? DefaultNotifyOn : NotifyOn;
}

/// <summary>The SMTP relay. E-mail is off while <see cref="Host"/> is empty.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public bool UseStartTls { get; set; } = true;

    public string? Username { get; set; }

    /// <summary>Secret: never logged, never shown by the API, never echoed by validation.</summary>
    public string? Password { get; set; }

    public string? From { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    // The password must not reach a log through an accidental interpolation of the whole object.
    public override string ToString() => $"smtp://{Host}:{Port}";
}

public enum WebhookKind
{
    /// <summary>JSON with the alarm's fields.</summary>
    Generic,

    /// <summary><c>{"text": "…"}</c>, understood by Slack and Mattermost incoming webhooks.</summary>
    Slack,
}

public sealed class WebhookTarget
{
    public string Name { get; set; } = "";

    /// <summary>Secret (incoming-webhook URLs carry their token): outbox rows name the webhook, not the URL.</summary>
    public string Url { get; set; } = "";

    public WebhookKind Kind { get; set; } = WebhookKind.Generic;

    public override string ToString() => Name;
}

public sealed class OnCallEntry
{
    public string Name { get; set; } = "";

    public string? Email { get; set; }

    /// <summary>Name of one of <see cref="NotificationOptions.Webhooks"/>.</summary>
    public string? Webhook { get; set; }
}

public sealed class NotificationSilence
{
    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    /// <summary>Only rules whose id starts with this; empty silences every rule.</summary>
    public string? RulePrefix { get; set; }

    public string Reason { get; set; } = "";

    public bool Covers(string ruleId, DateTimeOffset at) =>
        at >= Start && at < End && (string.IsNullOrEmpty(RulePrefix) || ruleId.StartsWith(RulePrefix, StringComparison.Ordinal));
}

public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var problems = new List<string>();
        const string Section = NotificationOptions.SectionName;
        var smtp = options.Smtp ?? new SmtpSettings();

        if (smtp.IsConfigured)
        {
            if (smtp.Port is < 1 or > 65535)
            {
                problems.Add($"{Section}:Smtp:Port {smtp.Port} is outside [1, 65535].");
            }

            if (!IsMailAddress(smtp.From))
            {
                problems.Add($"{Section}:Smtp:From '{smtp.From}' is not an e-mail address.");
            }

            // Only whether a password is there: its text never goes into a message.
            if (string.IsNullOrEmpty(smtp.Username) != string.IsNullOrEmpty(smtp.Password))
            {
                problems.Add($"{Section}:Smtp:Username and Password must be set together (Password is {(string.IsNullOrEmpty(smtp.Password) ? "empty" : "set")}).");
            }
        }

        var webhookNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var webhook = options.Webhooks[i];
            if (string.IsNullOrWhiteSpace(webhook.Name))
            {
                problems.Add($"{Section}:Webhooks:{i}:Name is empty.");
            }
            else if (!webhookNames.Add(webhook.Name))
            {
                problems.Add($"{Section}:Webhooks:{i}:Name '{webhook.Name}' is used twice.");
            }

            // The URL may hold a token: say what is wrong with it, not what it is.
            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"{Section}:Webhooks:{i}:Url is not an absolute http(s) URL.");
            }

            if (!Enum.IsDefined(webhook.Kind))
            {
                problems.Add($"{Section}:Webhooks:{i}:Kind must be Generic or Slack.");
            }
        }

        for (var i = 0; i < options.Roster.Count; i++)
        {
            var entry = options.Roster[i];
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                problems.Add($"{Section}:Roster:{i}:Name is empty.");
            }

            if (string.IsNullOrWhiteSpace(entry.Email) && string.IsNullOrWhiteSpace(entry.Webhook))
            {
                problems.Add($"{Section}:Roster:{i} ('{entry.Name}') has neither Email nor Webhook.");
            }

            if (!string.IsNullOrWhiteSpace(entry.Email))
            {
                if (!IsMailAddress(entry.Email))
                {
                    problems.Add($"{Section}:Roster:{i}:Email '{entry.Email}' is not an e-mail address.");
                }
                else if (!smtp.IsConfigured)
                {
                    problems.Add($"{Section}:Roster:{i}:Email is set but {Section}:Smtp:Host is empty.");
                }
            }

            if (!string.IsNullOrWhiteSpace(entry.Webhook) && !webhookNames.Contains(entry.Webhook))
            {
                problems.Add($"{Section}:Roster:{i}:Webhook '{entry.Webhook}' names no entry of {Section}:Webhooks.");
            }
        }

        if (!double.IsFinite(options.EscalateAfterMinutes) || options.EscalateAfterMinutes is < 0 or > 24 * 60)
        {
            problems.Add($"{Section}:EscalateAfterMinutes {options.EscalateAfterMinutes} is outside [0, 1440].");
        }

        if (!double.IsFinite(options.GroupWindowSeconds) || options.GroupWindowSeconds is < 0 or > 3600)
        {
            problems.Add($"{Section}:GroupWindowSeconds {options.GroupWindowSeconds} is outside [0, 3600].");
        }

        foreach (var severity in options.NotifyOn)
        {
            if (!Enum.IsDefined(severity))
            {
                problems.Add($"{Section}:NotifyOn '{severity}' is not a severity.");
            }
        }

        for (var i = 0; i < options.Silences.Count; i++)
        {
            var silence = options.Silences[i];
            if (silence.End <= silence.Start)
            {
                problems.Add($"{Section}:Silences:{i} ends ({silence.End:O}) before it starts ({silence.Start:O}).");
            }

            if (string.IsNullOrWhiteSpace(silence.Reason))
            {
                problems.Add($"{Section}:Silences:{i}:Reason is empty.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.DashboardUrl) && !Uri.TryCreate(options.DashboardUrl, UriKind.Absolute, out _))
        {
            problems.Add($"{Section}:DashboardUrl '{options.DashboardUrl}' is not an absolute URL.");
        }

        if (options.MaxAttempts is < 1 or > 10_000)
        {
            problems.Add($"{Section}:MaxAttempts {options.MaxAttempts} is outside [1, 10000].");
        }

        if (!double.IsFinite(options.MaxRetryDelaySeconds) || options.MaxRetryDelaySeconds is < 1 or > 86_400)
        {
            problems.Add($"{Section}:MaxRetryDelaySeconds {options.MaxRetryDelaySeconds} is outside [1, 86400].");
        }

        if (!double.IsFinite(options.PollSeconds) || options.PollSeconds is < 0.05 or > 300)
        {
            problems.Add($"{Section}:PollSeconds {options.PollSeconds} is outside [0.05, 300].");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsMailAddress(string? text) =>
        !string.IsNullOrWhiteSpace(text) && MimeKit.MailboxAddress.TryParse(text, out var address) && address.Address.Contains('@', StringComparison.Ordinal);
}
