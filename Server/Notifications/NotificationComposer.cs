using System.Globalization;
using System.Text;
using System.Text.Json;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Shared.Alarms;

namespace Clovers.Monitor.Server.Notifications;

/// <summary>What a message announces.</summary>
public enum NotificationKind
{
    Activated,
    Cleared,
    Escalated,
}

/// <summary>One message's content before it is addressed: one alarm, or several sharing a group key.</summary>
/// <param name="Count">How many alarms it stands for (the list may be cut short for very large groups).</param>
public sealed record NotificationContent(NotificationKind Kind, IReadOnlyList<AlarmTransition> Alarms, int Count, string? GroupKey, string? EscalatedTo = null)
{
    public AlarmSeverity Severity => Alarms.Max(a => a.Severity);

    public IReadOnlyList<string> AlarmIds => [.. Alarms.Select(a => a.AlarmId)];
}

/// <summary>Turns content into e-mail text and webhook bodies. Plain text: pagers and phones read it.</summary>
public sealed class NotificationComposer(string? dashboardUrl)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string Subject(NotificationContent content)
    {
        var prefix = content.Kind switch
        {
            NotificationKind.Cleared => "[CLOVERS] cleared",
            NotificationKind.Escalated => "[CLOVERS] ESCALATED",
            _ => "[CLOVERS]",
        };
        var severity = SeverityText(content.Severity);
        var what = content.Count == 1
            ? content.Alarms[0].RuleName
            : string.Create(CultureInfo.InvariantCulture, $"{content.Count} alarms in {content.GroupKey}: {content.Alarms[0].RuleName}, …");
        return $"{prefix} {severity}: {what}";
    }

    public string EmailBody(NotificationContent content)
    {
        var text = new StringBuilder();
        var heading = content.Kind switch
        {
            NotificationKind.Cleared => "Returned to normal",
            NotificationKind.Escalated => $"Still unacknowledged, escalated to {content.EscalatedTo}",
            _ => "Alarm",
        };
        text.Append(CultureInfo.InvariantCulture, $"{heading}: {content.Count} alarm(s), worst severity {SeverityText(content.Severity)}");
        text.AppendLine(content.GroupKey is null ? "" : $", group {content.GroupKey}");
        text.AppendLine();
        foreach (var alarm in content.Alarms)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{alarm.RuleName}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Severity: {SeverityText(alarm.Severity)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Value:    {ValueText(alarm.Value)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Time:     {TimeText(alarm.At)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Rule:     {alarm.RuleId}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  Alarm:    {alarm.AlarmId}");
            text.AppendLine();
        }

        if (content.Count > content.Alarms.Count)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"… and {content.Count - content.Alarms.Count} more.");
        }

        if (!string.IsNullOrWhiteSpace(dashboardUrl))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Dashboard: {dashboardUrl}");
        }

        return text.ToString();
    }

    public string WebhookBody(NotificationContent content, WebhookKind kind) => kind switch
    {
        WebhookKind.Slack => JsonSerializer.Serialize(new SlackBody(SlackText(content)), JsonOptions),
        _ => JsonSerializer.Serialize(GenericBody(content), JsonOptions),
    };

    private static GenericWebhookBody GenericBody(NotificationContent content)
    {
        var first = content.Alarms[0];
        return new GenericWebhookBody(
            first.AlarmId,
            first.RuleId,
            first.RuleName,
            content.Severity,
            content.Kind == NotificationKind.Cleared ? AlarmState.Normal : first.To,
            first.Value,
            first.At,
            content.GroupKey,
            content.Count,
            content.Kind.ToString().ToLowerInvariant(),
            content.AlarmIds);
    }

    private string SlackText(NotificationContent content)
    {
        var text = new StringBuilder(Subject(content));
        foreach (var alarm in content.Alarms)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n• {alarm.RuleName} ({SeverityText(alarm.Severity)}) value {ValueText(alarm.Value)} at {TimeText(alarm.At)}");
        }

        if (!string.IsNullOrWhiteSpace(dashboardUrl))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{dashboardUrl}");
        }

        return text.ToString();
    }

    private static string SeverityText(AlarmSeverity severity) => severity.ToString().ToUpperInvariant();

    private static string ValueText(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "n/a";

    private static string TimeText(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private sealed record SlackBody(string Text);

    private sealed record GenericWebhookBody(
        string AlarmId,
        string RuleId,
        string RuleName,
        AlarmSeverity Severity,
        AlarmState State,
        double? Value,
        DateTimeOffset At,
        string? GroupKey,
        int Count,
        string Kind,
        IReadOnlyList<string> AlarmIds);
}
