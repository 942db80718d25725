using System.Text.Json;
using Clovers.Monitor.Server.Alarms.Backtest;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Alarms.Api;

/// <summary>
/// <c>/api/alarms</c>: active alarms, their history, operator actions (acknowledge, shelve,
/// unshelve) and the rule set. Every error is problem+json: 400 lists every reason, 404 names the
/// unknown rule, 409 carries the engine's refusal.
/// </summary>
public static class AlarmEndpoints
{
    public const int MaxCommentLength = 1000;

    /// <summary>Who acts without logging in (nobody may operate alarms so, but history shows the name).</summary>
    public const string AnonymousUser = AuthPolicies.AnonymousUser;

    public static IEndpointRouteBuilder MapAlarmApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(string.Empty).WithTags("Alarms");

        api.MapGet(AlarmRoutes.Active, (AlarmEngine engine) => TypedResults.Ok(engine.Active))
            .WithSummary("Every alarm not normal: active, latched, shelved, suppressed or out of service.");

        api.MapGet(AlarmRoutes.History, GetHistoryAsync)
            .WithSummary($"Recorded alarm transitions, newest first; filters from, to (ISO 8601, [from, to)), ruleId, severity; limit up to {AlarmHistoryQuery.MaxLimit}.")
            .ProducesValidationProblem();

        api.MapPost("/api/alarms/{ruleId}/ack", AcknowledgeAsync)
            .RequireAuthorization(AuthPolicies.Shifter)
            .WithSummary($"Acknowledges the rule's alarm; a comment (at most {MaxCommentLength} characters) is required. Answers the alarm as it is now.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/api/alarms/{ruleId}/shelve", ShelveAsync)
            .RequireAuthorization(AuthPolicies.Shifter)
            .WithSummary("Shelves the rule's alarm for 'hours' (above 0, at most Alarms:MaxShelveHours) with a required comment.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/api/alarms/{ruleId}/unshelve", UnshelveAsync)
            .RequireAuthorization(AuthPolicies.Shifter)
            .WithSummary("Returns a shelved alarm to annunciation; the comment is optional.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet(AlarmRoutes.Rules, (AlarmEngine engine) => TypedResults.Json(engine.Rules, AlarmJson.Options))
            .WithSummary("The whole rule set as JSON, each rule with its 'kind', disabled rules included.");

        api.MapPut(AlarmRoutes.Rules, PutRulesAsync)
            .RequireAuthorization(AuthPolicies.Expert)
            .WithSummary("Replaces the whole rule set: validated (400 lists every problem), stored, then swapped in. Alarms of kept rules keep their state.")
            .Accepts<IReadOnlyList<AlarmRule>>("application/json")
            .ProducesValidationProblem();

        api.MapAlarmBacktest();

        return app;
    }

    /// <summary>The acting user: the logged-in user's name, or <see cref="AnonymousUser"/>.</summary>
    public static string UserOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AuthPolicies.UserName(context.User);
    }

    private static async Task<Results<Ok<IReadOnlyList<AlarmHistoryEntry>>, ValidationProblem>> GetHistoryAsync(
        string? from,
        string? to,
        string? ruleId,
        string? severity,
        string? limit,
        AlarmStore store,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fromTime = QueryParsing.ParseTime(from, "from", errors);
        var toTime = QueryParsing.ParseTime(to, "to", errors);
        var count = QueryParsing.ParseInt(limit, "limit", 1, AlarmHistoryQuery.MaxLimit, errors) ?? AlarmHistoryQuery.DefaultLimit;
        if (fromTime is { } f && toTime is { } t && f >= t)
        {
            errors["from"] = ["must be earlier than 'to'."];
        }

        AlarmSeverity? level = null;
        if (!string.IsNullOrWhiteSpace(severity))
        {
            level = Enum.GetValues<AlarmSeverity>().Cast<AlarmSeverity?>()
                .FirstOrDefault(s => string.Equals(s.ToString(), severity.Trim(), StringComparison.OrdinalIgnoreCase));
            if (level is null)
            {
                errors["severity"] = ["must be warning, major or critical."];
            }
        }

        if (string.IsNullOrWhiteSpace(ruleId))
        {
            ruleId = null;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid alarm history query");
        }

        return TypedResults.Ok(await store.QueryHistoryAsync(new AlarmHistoryQuery(fromTime, toTime, ruleId, level, count), cancellationToken));
    }

    private static async Task<Results<Ok<AlarmView>, ValidationProblem, ProblemHttpResult>> AcknowledgeAsync(
        string ruleId, AlarmCommentRequest? request, AlarmEngine engine, IAuditLog audit, TimeProvider time, HttpContext context)
    {
        var errors = CheckComment(request?.Comment, required: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid acknowledgement");
        }

        var comment = request!.Comment.Trim();
        var result = Operate(ruleId, engine, e => e.Acknowledge(ruleId, UserOf(context), comment));
        await AuditAsync(audit, time, context, AuditActions.AlarmAcknowledged, ruleId, result, comment);
        return result;
    }

    private static async Task<Results<Ok<AlarmView>, ValidationProblem, ProblemHttpResult>> ShelveAsync(
        string ruleId, AlarmShelveRequest? request, AlarmEngine engine, IOptions<AlarmOptions> options, IAuditLog audit, TimeProvider time, HttpContext context)
    {
        var errors = CheckComment(request?.Comment, required: true);
        var longest = options.Value.MaxShelveHours;
        if (request is null || !double.IsFinite(request.Hours) || request.Hours <= 0 || request.Hours > longest)
        {
            errors["hours"] = [$"must be above 0 and at most {longest}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid shelve request");
        }

        var comment = request!.Comment.Trim();
        var until = time.GetUtcNow() + TimeSpan.FromHours(request.Hours);
        var result = Operate(ruleId, engine, e => e.Shelve(ruleId, UserOf(context), until, comment));
        await AuditAsync(audit, time, context, AuditActions.AlarmShelved, ruleId, result, comment, "until " + until.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return result;
    }

    private static async Task<Results<Ok<AlarmView>, ValidationProblem, ProblemHttpResult>> UnshelveAsync(
        string ruleId, AlarmCommentRequest? request, AlarmEngine engine, IAuditLog audit, TimeProvider time, HttpContext context)
    {
        var errors = CheckComment(request?.Comment, required: false);
        var comment = string.IsNullOrWhiteSpace(request?.Comment) ? null : request.Comment.Trim();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid unshelve request");
        }

        var result = Operate(ruleId, engine, e => e.Unshelve(ruleId, UserOf(context), comment));
        await AuditAsync(audit, time, context, AuditActions.AlarmUnshelved, ruleId, result, comment);
        return result;
    }

    /// <summary>An operator action in the audit log: done, or refused with the engine's reason.</summary>
    private static ValueTask AuditAsync(
        IAuditLog audit, TimeProvider time, HttpContext context, string action, string ruleId,
        Results<Ok<AlarmView>, ValidationProblem, ProblemHttpResult> result, string? comment, string? newValue = null)
    {
        var refusal = (result.Result as ProblemHttpResult)?.ProblemDetails.Detail;
        return audit.AppendAsync(
            time, UserOf(context), action, ruleId, refusal is null ? AuditActions.Succeeded : AuditActions.Refused, context.RequestAborted,
            newValue: newValue, detail: refusal is null ? comment : refusal);
    }

    private static async Task<Results<JsonHttpResult<IReadOnlyList<AlarmRule>>, ValidationProblem>> PutRulesAsync(
        HttpRequest request, AlarmRuleEditor editor, AlarmEngine engine, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        List<AlarmRule>? rules;
        try
        {
            rules = await JsonSerializer.DeserializeAsync<List<AlarmRule>>(request.Body, AlarmJson.Options, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["rules"] = [$"not a JSON array of rules, each with a 'kind': {exception.Message}"] },
                title: "Invalid alarm rules");
        }

        if (rules is null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["rules"] = ["the body must be a JSON array of rules."] },
                title: "Invalid alarm rules");
        }

        var before = JsonSerializer.Serialize(engine.Rules, AlarmJson.Options);
        var result = await editor.ReplaceAsync(rules, UserOf(request.HttpContext), cancellationToken);
        await audit.AppendAsync(
            time, UserOf(request.HttpContext), AuditActions.RulesEdited, "rules",
            result.IsValid ? AuditActions.Succeeded : AuditActions.Refused, cancellationToken,
            oldValue: before,
            newValue: result.IsValid ? JsonSerializer.Serialize(engine.Rules, AlarmJson.Options) : JsonSerializer.Serialize<IReadOnlyList<AlarmRule>>(rules, AlarmJson.Options),
            detail: result.IsValid ? null : string.Join(" ", result.Problems));
        if (!result.IsValid)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["rules"] = [.. result.Problems] },
                title: "Invalid alarm rules");
        }

        return TypedResults.Json(engine.Rules, AlarmJson.Options);
    }

    private static Dictionary<string, string[]> CheckComment(string? comment, bool required)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(comment))
        {
            if (required)
            {
                errors["comment"] = ["is required."];
            }
        }
        else if (comment.Length > MaxCommentLength)
        {
            errors["comment"] = [$"may hold at most {MaxCommentLength} characters."];
        }

        return errors;
    }

    private static Results<Ok<AlarmView>, ValidationProblem, ProblemHttpResult> Operate(
        string ruleId, AlarmEngine engine, Func<AlarmEngine, States.AlarmOperationResult> operation)
    {
        if (engine.Find(ruleId) is null)
        {
            return TypedResults.Problem(
                $"No enabled alarm rule '{ruleId}'.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown alarm rule");
        }

        var result = operation(engine);
        if (!result.Done)
        {
            return TypedResults.Problem(result.Refusal, statusCode: StatusCodes.Status409Conflict, title: "Alarm operation refused");
        }

        return engine.Find(ruleId) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem($"Alarm rule '{ruleId}' was removed meanwhile.", statusCode: StatusCodes.Status404NotFound, title: "Unknown alarm rule");
    }
}
