using System.Text.Json;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Shared.Alarms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Clovers.Monitor.Server.Alarms.Backtest;

/// <summary>
/// <c>POST /api/alarms/rules/backtest</c>: how often one rule would have fired over the last days
/// of stored data. Nothing is changed; 400 lists every problem of the rule and of the range.
/// </summary>
public static class BacktestEndpoints
{
    public static IEndpointRouteBuilder MapAlarmBacktest(this IEndpointRouteBuilder app)
    {
        app.MapPost(AlarmBacktestRoutes.Backtest, BacktestAsync)
            .WithTags("Alarms")
            // A POST only to carry the rule: it changes nothing, so whoever may read may try it.
            .RequireAuthorization(AuthPolicies.Viewer)
            .WithSummary($"Replays one rule ('rule' with its 'kind') over the last 'days' ({AlarmBacktestRequest.MinDays}–{AlarmBacktestRequest.MaxDays}, default {AlarmBacktestRequest.DefaultDays}) of stored data and counts its activations.")
            .Accepts<AlarmBacktestRequest>("application/json")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<Ok<AlarmBacktestResult>, ValidationProblem>> BacktestAsync(
        HttpRequest request,
        ITimeSeriesStore store,
        IOptions<AlarmOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        AlarmRule? rule = null;
        var days = AlarmBacktestRequest.DefaultDays;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["must be a JSON object with 'rule' and 'days'."];
            }
            else
            {
                rule = ReadRule(body.RootElement, errors);
                days = ReadDays(body.RootElement, errors);
            }
        }
        catch (JsonException exception)
        {
            errors["body"] = [$"not JSON: {exception.Message}"];
        }

        if (rule is not null && RuleValidator.Validate(rule) is { Count: > 0 } problems)
        {
            errors["rule"] = [.. problems];
        }

        if (errors.Count > 0 || rule is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid backtest request");
        }

        var backtester = new RuleBacktester(store, options, time);
        return TypedResults.Ok(await backtester.RunAsync(rule, days, cancellationToken));
    }

    private static AlarmRule? ReadRule(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!TryGet(root, "rule", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            errors["rule"] = ["is required: one rule as JSON, with its 'kind'."];
            return null;
        }

        try
        {
            var rule = element.Deserialize<AlarmRule>(AlarmJson.Options);
            if (rule is null)
            {
                errors["rule"] = ["is required: one rule as JSON, with its 'kind'."];
            }

            return rule;
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            errors["rule"] = [$"not a rule with a known 'kind': {exception.Message}"];
            return null;
        }
    }

    private static int ReadDays(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!TryGet(root, "days", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return AlarmBacktestRequest.DefaultDays;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var days)
            && days >= AlarmBacktestRequest.MinDays && days <= AlarmBacktestRequest.MaxDays)
        {
            return days;
        }

        errors["days"] = [$"must be a whole number from {AlarmBacktestRequest.MinDays} to {AlarmBacktestRequest.MaxDays}."];
        return AlarmBacktestRequest.DefaultDays;
    }

    private static bool TryGet(JsonElement root, string name, out JsonElement value)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
