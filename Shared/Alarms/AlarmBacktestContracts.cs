using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Shared.Alarms;

/// <summary>
/// Asks how often one rule would have fired over the last <paramref name="Days"/> days of stored
/// data. The rule is raw JSON with its <c>kind</c>, exactly as <c>GET /api/alarms/rules</c> lists it.
/// </summary>
public sealed record AlarmBacktestRequest(JsonElement Rule, int Days = AlarmBacktestRequest.DefaultDays)
{
    public const int DefaultDays = 7;

    public const int MinDays = 1;

    public const int MaxDays = 30;
}

/// <summary>
/// What a backtest found: activations are transitions into active-unacknowledged while replaying
/// the stored history; <paramref name="Note"/> says how approximate the replay was.
/// </summary>
public sealed record AlarmBacktestResult(
    string RuleId,
    DateTimeOffset From,
    DateTimeOffset To,
    int Activations,
    DateTimeOffset? FirstAt,
    DateTimeOffset? LastAt,
    long ReadingsReplayed,
    string Note);

/// <summary>Route of the backtest; kept apart from <see cref="AlarmRoutes"/> so that contract stays as it is.</summary>
public static class AlarmBacktestRoutes
{
    public const string Backtest = "/api/alarms/rules/backtest";
}

/// <summary>Source-generated JSON for the backtest contracts (web defaults), usable from WebAssembly.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AlarmBacktestRequest))]
[JsonSerializable(typeof(AlarmBacktestResult))]
public sealed partial class AlarmBacktestJsonContext : JsonSerializerContext;
