using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Handover;

/// <summary><c>GET /api/handover</c>: the shift handover report as JSON, standalone HTML or Markdown.</summary>
public static class HandoverEndpoints
{
    public const string HtmlContentType = "text/html; charset=utf-8";
    public const string MarkdownContentType = "text/markdown; charset=utf-8";

    public static IEndpointRouteBuilder MapHandoverApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(HandoverRoutes.Report, GetAsync)
            .WithTags("Handover")
            .RequireAuthorization(AuthPolicies.Viewer)
            .WithSummary(
                "The shift handover report of [from, to) (ISO 8601; default the current shift from Handover:ShiftStartHoursUtc, at most 31 days): "
                + "alarms raised, acknowledged and still open, beam delivered (kWh, protons on target, exposure), LN2 refills, HV setpoint changes, "
                + "logbook entries. format=json (default), html (print-friendly page) or markdown.")
            .Produces<HandoverReport>()
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> GetAsync(string? from, string? to, string? format, HandoverReportBuilder builder, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fromTime = QueryParsing.ParseTime(from, "from", errors);
        var toTime = QueryParsing.ParseTime(to, "to", errors);
        var kind = string.IsNullOrWhiteSpace(format) ? "json" : format.Trim().ToLowerInvariant();
        if (kind is not ("json" or "html" or "markdown" or "md"))
        {
            errors["format"] = ["must be json, html or markdown."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid handover query");
        }

        var shift = builder.CurrentShift();
        var start = fromTime ?? (toTime is { } end ? end - (shift.To - shift.From) : shift.From);
        var stop = toTime ?? (fromTime is { } begin ? begin + (shift.To - shift.From) : shift.To);
        if (start >= stop)
        {
            errors["from"] = ["must be earlier than 'to'."];
        }
        else if (stop - start > HandoverReportBuilder.MaxWindow)
        {
            errors["from"] = [$"the window may span at most {HandoverReportBuilder.MaxWindow.TotalDays:0} days."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid handover query");
        }

        var report = await builder.BuildAsync(start, stop, cancellationToken);
        return kind switch
        {
            "html" => TypedResults.Content(HandoverDocument.ToHtml(report), HtmlContentType),
            "markdown" or "md" => TypedResults.Content(HandoverDocument.ToMarkdown(report), MarkdownContentType),
            _ => TypedResults.Ok(report),
        };
    }
}
