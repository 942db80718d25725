using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Shared.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>
/// <c>/api/logbook</c>: list (filters and paging), read one, write (the author is the logged-in
/// user) and preview Markdown exactly as it will be shown. Errors are problem+json.
/// </summary>
public static class LogbookEndpoints
{
    public static RouteGroupBuilder MapLogbookApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(string.Empty).WithTags("Logbook").RequireAuthorization(AuthPolicies.Viewer);

        api.MapGet(LogbookRoutes.Entries, ListAsync)
            .WithSummary(
                "Logbook entries and operators' alarm comments (kind alarmComment, tag 'alarm'), newest first. Filters: from, to (ISO 8601, [from, to)), "
                + $"tag, author, q (text contained), alarms=false to leave alarm comments out; offset (up to {LogbookRoutes.MaxOffset}) and limit (up to {LogbookRoutes.MaxLimit}).")
            .ProducesValidationProblem();

        api.MapGet(LogbookRoutes.Entries + "/{id:long}", GetAsync)
            .WithSummary("One logbook entry with its attached channel history.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    /// <summary>Writing and previewing: shifters and above; the author is the logged-in user.</summary>
    public static RouteGroupBuilder MapLogbookWrites(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(string.Empty).WithTags("Logbook").RequireAuthorization(AuthPolicies.Shifter);

        api.MapPost(LogbookRoutes.Entries, CreateAsync)
            .WithSummary(
                $"Writes an entry: text (Markdown, at most {LogbookRoutes.MaxTextLength} characters; raw HTML is shown as text), tags (at most {LogbookRoutes.MaxTags}), "
                + $"and optionally snapshot {{ channels (1-{LogbookRoutes.MaxSnapshotChannels}), from, to }}: their downsampled history is stored with the entry.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost(LogbookRoutes.Preview, (LogbookPreviewRequest? request, LogbookService logbook) =>
                request is null || request.Text is null || request.Text.Length > LogbookRoutes.MaxTextLength
                    ? Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"give 'text', at most {LogbookRoutes.MaxTextLength} characters."] })
                    : Results.Ok(new LogbookPreview(logbook.Render(request.Text))))
            .WithSummary("The Markdown rendered as the logbook will show it (sanitized HTML).")
            .ProducesValidationProblem();

        return api;
    }

    private static async Task<Results<Ok<LogbookPage>, ValidationProblem>> ListAsync(
        string? from, string? to, string? tag, string? author, string? q, string? alarms, string? offset, string? limit,
        LogbookService logbook, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fromTime = QueryParsing.ParseTime(from, "from", errors);
        var toTime = QueryParsing.ParseTime(to, "to", errors);
        if (fromTime is { } f && toTime is { } t && f >= t)
        {
            errors["from"] = ["must be earlier than 'to'."];
        }

        var skip = QueryParsing.ParseInt(offset, "offset", 0, LogbookRoutes.MaxOffset, errors) ?? 0;
        var take = QueryParsing.ParseInt(limit, "limit", 1, LogbookRoutes.MaxLimit, errors) ?? LogbookRoutes.DefaultLimit;
        var includeAlarms = true;
        if (!string.IsNullOrWhiteSpace(alarms) && !bool.TryParse(alarms, out includeAlarms))
        {
            errors["alarms"] = ["must be true or false."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid logbook query");
        }

        var filter = new LogbookFilter(fromTime, toTime, Blank(tag)?.ToLowerInvariant(), Blank(author), Blank(q), includeAlarms, skip, take);
        return TypedResults.Ok(await logbook.ListAsync(filter, cancellationToken));
    }

    private static async Task<Results<Ok<LogbookEntry>, ProblemHttpResult>> GetAsync(long id, LogbookService logbook, CancellationToken cancellationToken) =>
        await logbook.GetAsync(id, cancellationToken) is { } entry
            ? TypedResults.Ok(entry)
            : TypedResults.Problem($"There is no logbook entry {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown logbook entry");

    private static async Task<Results<Created<LogbookEntry>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NewLogbookEntry? request, LogbookService logbook, LogbookAudit audit, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = LogbookService.Validate(request, out var tags);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid logbook entry");
        }

        var user = AuthPolicies.UserName(context.User);
        var (entry, problem) = await logbook.CreateAsync(user, request!, tags, cancellationToken);
        if (entry is null)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status404NotFound, title: "Unknown channel");
        }

        await audit.EntryWrittenAsync(entry, cancellationToken);
        return TypedResults.Created(LogbookRoutes.Entry(entry.Id), entry);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
