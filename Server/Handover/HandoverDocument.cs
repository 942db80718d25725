using System.Globalization;
using System.Net;
using System.Text;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Handover;

/// <summary>The handover report as a print-friendly standalone HTML page or as Markdown (also the e-mail text).</summary>
public static class HandoverDocument
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Title(HandoverReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"CLOVERS shift handover {Time(report.From)} – {Time(report.To)}";
    }

    /// <summary>Protons on target in the usual scientific notation, e.g. 1.57e19.</summary>
    public static string Protons(double protons) => protons.ToString("0.00e0", s_invariant);

    public static string ToMarkdown(HandoverReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append("# ").AppendLine(Title(report)).AppendLine();
        text.AppendLine(s_invariant, $"Generated {Time(report.GeneratedAt)} UTC.").AppendLine();

        text.AppendLine("## Beam").AppendLine();
        var beam = report.Beam;
        text.AppendLine(s_invariant, $"- Delivered: {beam.EnergyKilowattHours:0.0} kWh, {Protons(beam.ProtonsOnTarget)} protons on target");
        text.AppendLine(s_invariant, $"- Exposure gained: {beam.ExposureKilogramDays:0.00} kg·days");
        text.AppendLine(s_invariant, $"- Beam on {beam.BeamOnHours:0.0} h, mean {beam.MeanPowerKilowatts:0.0} kW over {beam.CoveredHours:0.0} h with data").AppendLine();

        text.AppendLine("## Alarms").AppendLine();
        AlarmList(text, "Raised", report.Alarms.Raised);
        AlarmList(text, "Acknowledged", report.Alarms.Acknowledged);
        AlarmList(text, "Still open", report.Alarms.StillOpen);

        text.AppendLine("## LN2 refills").AppendLine();
        text.AppendLine(s_invariant, $"{report.Refills.Count} refill(s).");
        foreach (var refill in report.Refills)
        {
            text.AppendLine(s_invariant, $"- {Time(refill.At)}: {refill.FromPercent:0.0} % → {refill.ToPercent:0.0} %");
        }

        text.AppendLine().AppendLine("## HV setpoint changes").AppendLine();
        text.AppendLine(s_invariant, $"{report.HvChanges.Count} change(s).");
        foreach (var change in report.HvChanges)
        {
            text.AppendLine(s_invariant, $"- {Time(change.At)} {change.Channel}: {Volts(change.FromVolts)} → {change.ToVolts:0.0} V, {CommandedBy(change)}");
        }

        text.AppendLine().AppendLine("## Logbook").AppendLine();
        text.AppendLine(s_invariant, $"{report.Logbook.Count} entr{(report.Logbook.Count == 1 ? "y" : "ies")}.");
        foreach (var entry in report.Logbook)
        {
            text.AppendLine().AppendLine(s_invariant, $"### {Time(entry.At)} {entry.Author}{Tags(entry.Tags)}").AppendLine().AppendLine(entry.Markdown);
        }

        return text.ToString();
    }

    public static string ToHtml(HandoverReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        var title = E(Title(report));
        html.AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .AppendLine(s_invariant, $"<title>{title}</title>")
            .AppendLine("""
                <style>
                body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #000; background: #fff; }
                h1 { font-size: 16pt; } h2 { font-size: 13pt; border-bottom: 1px solid #888; margin-top: 1.5em; }
                table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; vertical-align: top; }
                .entry { border-left: 3px solid #888; padding-left: .8em; margin: .8em 0; page-break-inside: avoid; }
                .meta { color: #444; font-size: 9pt; }
                @media print { body { margin: 0; } a { color: #000; } }
                </style>
                """)
            .AppendLine("</head><body>")
            .AppendLine(s_invariant, $"<h1>{title}</h1>")
            .AppendLine(s_invariant, $"<p class=\"meta\">Generated {E(Time(report.GeneratedAt))} UTC</p>");

        var beam = report.Beam;
        html.AppendLine("<h2>Beam</h2><table>")
            .AppendLine(s_invariant, $"<tr><th>Energy delivered</th><td>{beam.EnergyKilowattHours:0.0} kWh</td></tr>")
            .AppendLine(s_invariant, $"<tr><th>Protons on target</th><td>{Protons(beam.ProtonsOnTarget)}</td></tr>")
            .AppendLine(s_invariant, $"<tr><th>Exposure gained</th><td>{beam.ExposureKilogramDays:0.00} kg·days</td></tr>")
            .AppendLine(s_invariant, $"<tr><th>Beam on</th><td>{beam.BeamOnHours:0.0} h (mean {beam.MeanPowerKilowatts:0.0} kW over {beam.CoveredHours:0.0} h with data)</td></tr>")
            .AppendLine("</table>");

        html.AppendLine("<h2>Alarms</h2>");
        AlarmTable(html, "Raised", report.Alarms.Raised);
        AlarmTable(html, "Acknowledged", report.Alarms.Acknowledged);
        AlarmTable(html, "Still open", report.Alarms.StillOpen);

        html.AppendLine(s_invariant, $"<h2>LN2 refills ({report.Refills.Count})</h2>");
        if (report.Refills.Count > 0)
        {
            html.AppendLine("<table><tr><th>started</th><th>level</th></tr>");
            foreach (var refill in report.Refills)
            {
                html.AppendLine(s_invariant, $"<tr><td>{E(Time(refill.At))}</td><td>{refill.FromPercent:0.0} % → {refill.ToPercent:0.0} %</td></tr>");
            }

            html.AppendLine("</table>");
        }

        html.AppendLine(s_invariant, $"<h2>HV setpoint changes ({report.HvChanges.Count})</h2>");
        if (report.HvChanges.Count > 0)
        {
            html.AppendLine("<table><tr><th>time</th><th>channel</th><th>setpoint</th><th>commanded</th></tr>");
            foreach (var change in report.HvChanges)
            {
                html.AppendLine(s_invariant, $"<tr><td>{E(Time(change.At))}</td><td>{E(change.Channel)}</td><td>{E(Volts(change.FromVolts))} → {change.ToVolts:0.0} V</td><td>{E(CommandedBy(change))}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        html.AppendLine(s_invariant, $"<h2>Logbook ({report.Logbook.Count})</h2>");
        foreach (var entry in report.Logbook)
        {
            // entry.Html is the logbook's sanitized rendering; everything else is encoded here.
            html.AppendLine(s_invariant, $"<div class=\"entry\"><div class=\"meta\">{E(Time(entry.At))} · {E(entry.Author)}{E(Tags(entry.Tags))}</div>{entry.Html}</div>");
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void AlarmList(StringBuilder text, string heading, IReadOnlyList<HandoverAlarm> alarms)
    {
        text.AppendLine(s_invariant, $"{heading}: {alarms.Count}");
        foreach (var alarm in alarms)
        {
            var comment = string.IsNullOrWhiteSpace(alarm.Comment) ? "" : $" — {alarm.User}: {alarm.Comment}";
            text.AppendLine(s_invariant, $"- {Time(alarm.At)} {alarm.Name} ({alarm.Severity.ToString().ToLowerInvariant()}){comment}");
        }

        text.AppendLine();
    }

    private static void AlarmTable(StringBuilder html, string heading, IReadOnlyList<HandoverAlarm> alarms)
    {
        html.AppendLine(s_invariant, $"<h3>{E(heading)} ({alarms.Count})</h3>");
        if (alarms.Count == 0)
        {
            return;
        }

        html.AppendLine("<table><tr><th>time</th><th>alarm</th><th>severity</th><th>state</th><th>by</th><th>comment</th></tr>");
        foreach (var alarm in alarms)
        {
            html.AppendLine(s_invariant, $"<tr><td>{E(Time(alarm.At))}</td><td>{E(alarm.Name)}</td><td>{E(alarm.Severity.ToString().ToLowerInvariant())}</td><td>{E(alarm.State.ToString())}</td><td>{E(alarm.User)}</td><td>{E(alarm.Comment ?? "")}</td></tr>");
        }

        html.AppendLine("</table>");
    }

    /// <summary>Who commanded a setpoint change through the monitor, or that nobody did.</summary>
    public static string CommandedBy(HandoverHvChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Command is { } command
            ? string.Create(s_invariant, $"by {command.User} at {command.At.UtcDateTime:HH:mm:ss} ({Volts(command.OldVolts)} → {command.NewVolts:0.0} V, command {command.CommandId})")
            : NotViaTheMonitor;
    }

    /// <summary>What the report says of a setpoint change that no accepted HV command of the monitor explains.</summary>
    public const string NotViaTheMonitor = "not via the monitor";

    private static string Tags(IReadOnlyList<string> tags) => tags.Count == 0 ? "" : " [" + string.Join(", ", tags) + "]";

    private static string Volts(double? volts) => volts is { } v ? v.ToString("0.0", s_invariant) + " V" : "?";

    private static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", s_invariant);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
