using System.Globalization;
using System.Text;
using Clovers.Monitor.Server.Api;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Clovers.Monitor.Server.Audit;

/// <summary><c>GET /api/audit</c> and <c>GET /api/audit.csv</c>: the audit log, for experts and admins.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup(string.Empty).WithTags("Audit").RequireAuthorization(AuthPolicies.Expert);
        audit.MapGet(AuthRoutes.Audit, QueryAsync)
            .WithSummary($"Audit entries newest first; filters from, to (ISO 8601, [from, to)), user, action; offset and limit (1–{AuditQuery.MaxLimit}, default {AuditQuery.DefaultLimit}).")
            .ProducesValidationProblem();
        audit.MapGet(AuthRoutes.AuditCsv, CsvAsync)
            .WithSummary("The same filters as /api/audit, every matching entry as CSV, streamed.")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> QueryAsync(
        string? from, string? to, string? user, string? action, string? offset, string? limit, IAuditLog log, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = Parse(from, to, user, action, offset, limit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid audit query");
        }

        return TypedResults.Ok(await log.QueryAsync(query, cancellationToken));
    }

    private static async Task<IResult> CsvAsync(
        string? from, string? to, string? user, string? action, IAuditLog log, HttpContext context, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = Parse(from, to, user, action, null, null, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid audit query");
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteLineAsync("id,at,user,action,target,old_value,new_value,result,detail");
        await foreach (var entry in log.ReadAllAsync(query, cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(',',
                entry.Id.ToString(CultureInfo.InvariantCulture),
                entry.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                Csv(entry.User),
                Csv(entry.Action),
                Csv(entry.Target),
                Csv(entry.OldValue),
                Csv(entry.NewValue),
                Csv(entry.Result),
                Csv(entry.Detail)));
        }

        await writer.FlushAsync(cancellationToken);
        return TypedResults.Empty;
    }

    private static AuditQuery Parse(
        string? from, string? to, string? user, string? action, string? offset, string? limit, Dictionary<string, string[]> errors)
    {
        var fromTime = QueryParsing.ParseTime(from, "from", errors);
        var toTime = QueryParsing.ParseTime(to, "to", errors);
        var skip = QueryParsing.ParseInt(offset, "offset", 0, int.MaxValue, errors) ?? 0;
        var take = QueryParsing.ParseInt(limit, "limit", 1, AuditQuery.MaxLimit, errors) ?? AuditQuery.DefaultLimit;
        if (fromTime is { } f && toTime is { } t && f >= t)
        {
            errors["from"] = ["must be earlier than 'to'."];
        }

        return new AuditQuery(fromTime, toTime, user, action, skip, take);
    }

    /// <summary>
    /// RFC 4180 quoting, and a leading quote before =, +, - or @ so that a spreadsheet opening the
    /// file never runs a value someone typed as a formula.
    /// </summary>
    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
