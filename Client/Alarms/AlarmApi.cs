using System.Globalization;
using System.Net.Http.Json;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Alarms;

/// <summary>What became of an operator's action: done, or the server's reason why not.</summary>
public sealed record AlarmActionResult(bool Succeeded, string? Error)
{
    public static readonly AlarmActionResult Done = new(true, null);

    public static AlarmActionResult Failed(string error) => new(false, error);
}

/// <summary>A history request: a time range and optional rule and severity filters.</summary>
public sealed record AlarmHistoryQuery(DateTimeOffset From, DateTimeOffset To, string? RuleId, AlarmSeverity? Severity, int Limit)
{
    public string ToRelativeUri()
    {
        var query = new List<string>
        {
            "from=" + Uri.EscapeDataString(From.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
            "to=" + Uri.EscapeDataString(To.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrWhiteSpace(RuleId))
        {
            query.Add("ruleId=" + Uri.EscapeDataString(RuleId.Trim()));
        }

        if (Severity is { } severity)
        {
            query.Add("severity=" + AlarmDisplay.SeverityKey(severity));
        }

        query.Add("limit=" + Limit.ToString(CultureInfo.InvariantCulture));
        return ApiPaths.Relative(AlarmRoutes.History) + "?" + string.Join('&', query);
    }
}

/// <summary>The alarm REST API as the Alarms page uses it; server refusals come back as their problem detail.</summary>
public sealed class AlarmApi(HttpClient http)
{
    public Task<AlarmActionResult> AcknowledgeAsync(string ruleId, string comment, CancellationToken cancellationToken) =>
        PostAsync(AlarmRoutes.Acknowledge(ruleId), JsonContent.Create(new AlarmCommentRequest(comment), ApiJsonContext.Default.AlarmCommentRequest), cancellationToken);

    public Task<AlarmActionResult> ShelveAsync(string ruleId, string comment, double hours, CancellationToken cancellationToken) =>
        PostAsync(AlarmRoutes.Shelve(ruleId), JsonContent.Create(new AlarmShelveRequest(comment, hours), ApiJsonContext.Default.AlarmShelveRequest), cancellationToken);

    public Task<AlarmActionResult> UnshelveAsync(string ruleId, string comment, CancellationToken cancellationToken) =>
        PostAsync(AlarmRoutes.Unshelve(ruleId), JsonContent.Create(new AlarmCommentRequest(comment), ApiJsonContext.Default.AlarmCommentRequest), cancellationToken);

    public async Task<IReadOnlyList<AlarmHistoryEntry>> HistoryAsync(AlarmHistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var response = await http.GetAsync(new Uri(query.ToRelativeUri(), UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(await ProblemText.ReadDetailAsync(response, cancellationToken), null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.IReadOnlyListAlarmHistoryEntry, cancellationToken) ?? [];
    }

    private async Task<AlarmActionResult> PostAsync(string route, HttpContent body, CancellationToken cancellationToken)
    {
        using (body)
        {
            try
            {
                using var response = await http.PostAsync(new Uri(ApiPaths.Relative(route), UriKind.Relative), body, cancellationToken);
                return response.IsSuccessStatusCode
                    ? AlarmActionResult.Done
                    : AlarmActionResult.Failed(await ProblemText.ReadDetailAsync(response, cancellationToken));
            }
            catch (HttpRequestException ex)
            {
                return AlarmActionResult.Failed("The server could not be reached: " + ex.Message);
            }
        }
    }
}
