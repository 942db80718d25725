using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Tests.Alarms.Api;

/// <summary>The alarm REST API as tests call it, and a rule that activates on its own within seconds.</summary>
internal static class AlarmApiClient
{
    /// <summary>Silence of a channel nobody publishes: active about a second after it is loaded.</summary>
    public static StaleRule Silence(string id) =>
        new(id, $"Silence {id}", AlarmSeverity.Major) { Channel = $"test.{id.Replace('.', '_')}", MaxSilence = TimeSpan.FromSeconds(1) };

    public static Task<HttpResponseMessage> PutRulesAsync(this HttpClient http, params AlarmRule[] rules) =>
        http.PutAsync(AlarmRoutes.Rules, new StringContent(JsonSerializer.Serialize<IReadOnlyList<AlarmRule>>(rules, AlarmJson.Options), Encoding.UTF8, "application/json"));

    public static async Task<IReadOnlyList<AlarmRule>> GetRulesAsync(this HttpClient http) =>
        (await http.GetFromJsonAsync<List<AlarmRule>>(AlarmRoutes.Rules, AlarmJson.Options))!;

    public static async Task<IReadOnlyList<AlarmView>> ActiveAsync(this HttpClient http) =>
        (await http.GetFromJsonAsync(AlarmRoutes.Active, ApiJsonContext.Default.IReadOnlyListAlarmView))!;

    public static Task<AlarmView?> ActiveAlarmAsync(this HttpClient http, string ruleId) =>
        Eventually.ReturnsAsync(
            async () => (await http.ActiveAsync()).FirstOrDefault(a => a.RuleId == ruleId),
            a => a?.State == AlarmState.ActiveUnacknowledged,
            TimeSpan.FromSeconds(15),
            $"alarm {ruleId} active");

    public static async Task<IReadOnlyList<AlarmHistoryEntry>> HistoryAsync(this HttpClient http, string query = "") =>
        (await http.GetFromJsonAsync(AlarmRoutes.History + query, ApiJsonContext.Default.IReadOnlyListAlarmHistoryEntry))!;

    public static Task<HttpResponseMessage> AcknowledgeAsync(this HttpClient http, string ruleId, string comment) =>
        http.PostAsJsonAsync(AlarmRoutes.Acknowledge(ruleId), new AlarmCommentRequest(comment), ApiJsonContext.Default.AlarmCommentRequest);

    public static async Task<AlarmView> ReadViewAsync(this HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AlarmView>(ApiJsonContext.Default.Options))!;
    }
}
