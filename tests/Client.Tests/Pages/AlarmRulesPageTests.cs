using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using Clovers.Monitor.Client.Pages;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Client.Tests.Pages;

public sealed class AlarmRulesPageTests : BunitContext
{
    private const string RuleSet = """
        [
          { "kind": "limit", "id": "cryo.temp.sd1.high", "name": "SD1 too warm", "severity": "major", "channel": "cryo.temp.sd1", "high": 100, "enabled": true },
          { "kind": "stale", "id": "agent.platform-1.silent", "name": "Agent silent", "severity": "critical", "agentId": "platform-1", "maxSilence": "00:01:00", "enabled": false }
        ]
        """;

    private readonly RulesServer _server = new();
    private readonly Clovers.Monitor.Client.Auth.UserSession _session;

    public AlarmRulesPageTests()
    {
        var http = new HttpClient(_server) { BaseAddress = new Uri("http://localhost/") };
        Services.AddSingleton(http);
        _session = TestSessions.As(http, MonitorRoles.Expert);
        Services.AddSingleton(_session);
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    private IRenderedComponent<AlarmRules> RenderWithFirstRuleSelected()
    {
        var page = Render<AlarmRules>();
        page.WaitForElement("[data-testid='rule-select-cryo.temp.sd1.high']").Click();
        return page;
    }

    private static void Edit(IRenderedComponent<AlarmRules> page, Func<string, string> change)
    {
        var textarea = page.Find("[data-testid='rule-json']");
        textarea.Input(change(textarea.GetAttribute("value") ?? textarea.TextContent));
    }

    [Fact]
    public async Task Save_Shifter_IsDisabledButBacktestIsNot()
    {
        await _session.SetAsync(TestSessions.User(MonitorRoles.Shifter));

        var page = RenderWithFirstRuleSelected();

        Assert.True(page.Find("[data-testid='rule-save']").HasAttribute("disabled"));
        Assert.False(page.Find("[data-testid='rule-backtest']").HasAttribute("disabled"));
    }

    [Fact]
    public void Render_RuleSet_ARowEachWithKindSeverityChannelAndEnabled()
    {
        var page = Render<AlarmRules>();

        var row = page.WaitForElement("[data-testid='rule-row-cryo.temp.sd1.high']");
        Assert.Equal(["cryo.temp.sd1.high", "limit", "major", "cryo.temp.sd1", "yes"], row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
        Assert.Equal("no", page.Find("[data-testid='rule-row-agent.platform-1.silent']").QuerySelectorAll("td")[4].TextContent);
    }

    [Fact]
    public void Select_Rule_ShowsItsJson()
    {
        var page = RenderWithFirstRuleSelected();

        var json = JsonNode.Parse(page.Find("[data-testid='rule-json']").GetAttribute("value")!)!;
        Assert.Equal(100, json["high"]!.GetValue<double>());
    }

    [Fact]
    public void Backtest_ServerAnswers_ShowsHowOftenItWouldHaveFired()
    {
        _server.Backtest = () => Json(HttpStatusCode.OK, JsonSerializer.Serialize(
            new AlarmBacktestResult("cryo.temp.sd1.high", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(7), 3, null, null, 100, "Approximation."),
            AlarmBacktestJsonContext.Default.AlarmBacktestResult));
        var page = RenderWithFirstRuleSelected();

        page.Find("[data-testid='rule-backtest']").Click();

        page.WaitForAssertion(() => Assert.Equal("Would have fired 3 times in the last 7 days.", page.Find("[data-testid='backtest-result']").TextContent));
    }

    [Fact]
    public void Backtest_EditedRule_PostsTheEditWithSevenDays()
    {
        var page = RenderWithFirstRuleSelected();
        Edit(page, json => json.Replace("100", "90", StringComparison.Ordinal));

        page.Find("[data-testid='rule-backtest']").Click();

        page.WaitForAssertion(() => Assert.Single(_server.Requests, r => r.Method == HttpMethod.Post));
        var body = JsonNode.Parse(_server.Requests.Single(r => r.Method == HttpMethod.Post).Body!)!;
        Assert.Equal((90d, 7), (body["rule"]!["high"]!.GetValue<double>(), body["days"]!.GetValue<int>()));
    }

    [Fact]
    public void Save_EditedRule_PutsTheWholeSetWithTheEditInPlace()
    {
        var page = RenderWithFirstRuleSelected();
        Edit(page, json => json.Replace("100", "90", StringComparison.Ordinal));

        page.Find("[data-testid='rule-save']").Click();

        page.WaitForAssertion(() => Assert.Single(_server.Requests, r => r.Method == HttpMethod.Put));
        var set = JsonNode.Parse(_server.Requests.Single(r => r.Method == HttpMethod.Put).Body!)!.AsArray();
        Assert.Equal(
            [("cryo.temp.sd1.high", (double?)90), ("agent.platform-1.silent", null)],
            set.Select(r => (r!["id"]!.GetValue<string>(), r["high"]?.GetValue<double>())));
    }

    [Fact]
    public void Save_ServerRefuses_ShowsEveryReason()
    {
        _server.Put = () => Json(
            HttpStatusCode.BadRequest,
            """{ "title": "Invalid alarm rules", "status": 400, "errors": { "rules": ["Rule 'x': the name is empty.", "Rule 'x': no limit."] } }""",
            "application/problem+json");
        var page = RenderWithFirstRuleSelected();

        page.Find("[data-testid='rule-save']").Click();

        page.WaitForAssertion(() =>
        {
            var error = page.Find("[data-testid='rule-error']").TextContent;
            Assert.Contains("the name is empty", error, StringComparison.Ordinal);
            Assert.Contains("no limit", error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Backtest_NotJson_ShowsTheErrorWithoutAsking()
    {
        var page = RenderWithFirstRuleSelected();
        page.Find("[data-testid='rule-json']").Input("{ not json");

        page.Find("[data-testid='rule-backtest']").Click();

        Assert.Contains("not valid JSON", page.Find("[data-testid='rule-error']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Method == HttpMethod.Post);
    }

    /// <summary>Plays the rules API: the set on GET, stubbed answers to the backtest and to PUT, every request recorded.</summary>
    private sealed class RulesServer : HttpMessageHandler
    {
        public sealed record Request(HttpMethod Method, string Path, string? Body);

        public ConcurrentQueue<Request> Requests { get; } = new();

        public Func<HttpResponseMessage> Backtest { get; set; } = static () => Json(HttpStatusCode.OK, JsonSerializer.Serialize(
            new AlarmBacktestResult("r", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, null, null, 0, ""),
            AlarmBacktestJsonContext.Default.AlarmBacktestResult));

        public Func<HttpResponseMessage>? Put { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            Requests.Enqueue(new Request(request.Method, path, body));
            return (request.Method.Method, path) switch
            {
                ("GET", AlarmRoutes.Rules) => Json(HttpStatusCode.OK, RuleSet),
                ("POST", AlarmBacktestRoutes.Backtest) => Backtest(),
                ("PUT", AlarmRoutes.Rules) => Put?.Invoke() ?? Json(HttpStatusCode.OK, body!),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
        }
    }
}
