using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Auth;
using Clovers.Monitor.Server.Alarms.Rules;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Server.Tests.Alarms.Api;

public sealed class AlarmApiTests : IClassFixture<MonitorServerFactory>
{
    private readonly HttpClient _http;

    public AlarmApiTests(MonitorServerFactory factory)
    {
        _http = factory.CreateClientAs(AuthPolicies.Expert);
    }

    [Fact]
    public async Task Acknowledge_ActiveAlarm_AnswersItAcknowledged()
    {
        Assert.True((await _http.PutRulesAsync(AlarmApiClient.Silence("ack.flow"))).IsSuccessStatusCode);
        await _http.ActiveAlarmAsync("ack.flow");

        var view = await (await _http.AcknowledgeAsync("ack.flow", "looking into it")).ReadViewAsync();

        Assert.Equal(AlarmState.ActiveAcknowledged, view.State);
        Assert.Contains(await _http.ActiveAsync(), a => a.RuleId == "ack.flow" && a.State == AlarmState.ActiveAcknowledged);
    }

    [Fact]
    public async Task Acknowledge_Twice_Answers409WithTheEngineReason()
    {
        await _http.PutRulesAsync(AlarmApiClient.Silence("ack.twice"));
        await _http.ActiveAlarmAsync("ack.twice");
        await _http.AcknowledgeAsync("ack.twice", "first");

        var second = await _http.AcknowledgeAsync("ack.twice", "second");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nothing to acknowledge", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledge_EmptyComment_Answers400()
    {
        await _http.PutRulesAsync(AlarmApiClient.Silence("ack.empty"));

        var response = await _http.AcknowledgeAsync("ack.empty", "  ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("comment", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledge_UnknownRule_Answers404Problem()
    {
        var response = await _http.AcknowledgeAsync("no.such.rule", "hello");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Shelve_TooLongWithoutComment_Answers400WithBothReasons()
    {
        await _http.PutRulesAsync(AlarmApiClient.Silence("shelve.bad"));

        var response = await _http.PostAsJsonAsync(AlarmRoutes.Shelve("shelve.bad"), new AlarmShelveRequest("", 1000), ApiJsonContext.Default.AlarmShelveRequest);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"hours\"", body, StringComparison.Ordinal);
        Assert.Contains("\"comment\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shelve_ThenUnshelve_HidesAndAnnunciatesAgain()
    {
        await _http.PutRulesAsync(AlarmApiClient.Silence("shelve.ok"));
        await _http.ActiveAlarmAsync("shelve.ok");

        var shelved = await (await _http.PostAsJsonAsync(AlarmRoutes.Shelve("shelve.ok"), new AlarmShelveRequest("sensor swap", 2), ApiJsonContext.Default.AlarmShelveRequest)).ReadViewAsync();
        var unshelved = await (await _http.PostAsJsonAsync(AlarmRoutes.Unshelve("shelve.ok"), new AlarmCommentRequest("done"), ApiJsonContext.Default.AlarmCommentRequest)).ReadViewAsync();

        Assert.Equal(AlarmState.Shelved, shelved.State);
        Assert.Equal(MonitorServerFactory.TestUserName(AuthPolicies.Expert), shelved.Shelve?.User);
        Assert.Equal(AlarmState.ActiveUnacknowledged, unshelved.State);
    }

    [Fact]
    public async Task PutRules_InvalidSet_Answers400WithEveryReason()
    {
        var before = await _http.GetRulesAsync();

        var response = await _http.PutRulesAsync(
            new LimitRule("bad.limit", "No thresholds", AlarmSeverity.Major, "test.value"),
            new StaleRule("Bad Id", "Bad id", AlarmSeverity.Warning) { Channel = "test.value", MaxSilence = TimeSpan.FromSeconds(5) });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bad.limit", body, StringComparison.Ordinal);
        Assert.Contains("Bad Id", body, StringComparison.Ordinal);
        Assert.Equal(before, await _http.GetRulesAsync());
    }

    [Fact]
    public async Task PutRules_BodyWithoutKind_Answers400()
    {
        var response = await _http.PutAsync(AlarmRoutes.Rules, new StringContent("""[{"id":"x.y","name":"x"}]""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PutRules_ValidSet_GetAnswersIt()
    {
        var rule = AlarmApiClient.Silence("rules.roundtrip");

        var response = await _http.PutRulesAsync(rule);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([rule], await _http.GetRulesAsync());
    }

    [Fact]
    public async Task History_FilteredByRule_ListsItsTransitionsNewestFirst()
    {
        await _http.PutRulesAsync(AlarmApiClient.Silence("history.one"), AlarmApiClient.Silence("history.two"));
        await _http.ActiveAlarmAsync("history.one");
        await _http.AcknowledgeAsync("history.one", "noted");

        var history = await Eventually.ReturnsAsync(
            () => _http.HistoryAsync("?ruleId=history.one"),
            h => h.Count >= 2,
            because: "activation and acknowledgement recorded");

        Assert.All(history, h => Assert.Equal("history.one", h.RuleId));
        Assert.Equal((AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged), (history[0].From, history[0].To));
        Assert.Equal("noted", history[0].Comment);
        Assert.Equal(MonitorServerFactory.TestUserName(AuthPolicies.Expert), history[0].User);
        Assert.Equal((AlarmState.Normal, AlarmState.ActiveUnacknowledged), (history[1].From, history[1].To));
    }

    [Fact]
    public async Task History_SeverityAndLimit_Filter()
    {
        await _http.PutRulesAsync(AlarmApiClient.Silence("history.major"), AlarmApiClient.Silence("history.warn") with { Severity = AlarmSeverity.Warning });
        await _http.ActiveAlarmAsync("history.warn");

        var warnings = await Eventually.ReturnsAsync(() => _http.HistoryAsync("?severity=warning"), h => h.Count > 0);
        var one = await _http.HistoryAsync("?limit=1");

        Assert.All(warnings, h => Assert.Equal(AlarmSeverity.Warning, h.Severity));
        Assert.Single(one);
    }

    [Theory]
    [InlineData("?limit=1001")]
    [InlineData("?severity=apocalyptic")]
    [InlineData("?from=yesterday")]
    [InlineData("?from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z")]
    public async Task History_BadQuery_Answers400Problem(string query)
    {
        var response = await _http.GetAsync(AlarmRoutes.History + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesEveryAlarmRoute()
    {
        var document = await _http.GetStringAsync("/openapi/v1.json");

        Assert.Contains(AlarmRoutes.Active, document, StringComparison.Ordinal);
        Assert.Contains(AlarmRoutes.History, document, StringComparison.Ordinal);
        Assert.Contains(AlarmRoutes.Rules, document, StringComparison.Ordinal);
        Assert.Contains("/api/alarms/{ruleId}/shelve", document, StringComparison.Ordinal);
        Assert.Contains("Acknowledges the rule's alarm", document, StringComparison.Ordinal);
    }
}
