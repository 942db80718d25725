using System.Net;
using System.Net.Http.Json;
using System.Text;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Alarms.Backtest;

public sealed class BacktestApiTests : IClassFixture<MonitorServerFactory>
{
    private readonly MonitorServerFactory _factory;
    private readonly HttpClient _http;

    public BacktestApiTests(MonitorServerFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
    }

    private static string LimitRule(string id, string channel, string extra = "") =>
        $$"""{ "kind": "limit", "id": "{{id}}", "name": "Backtest rule", "severity": "major", "channel": "{{channel}}", "high": 100{{extra}} }""";

    private Task<HttpResponseMessage> PostAsync(string body) =>
        _http.PostAsync(new Uri(AlarmBacktestRoutes.Backtest, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Backtest_StoredSeriesCrossingTwice_AnswersTwoActivations()
    {
        const string channel = "bt.api.temperature";
        var now = DateTimeOffset.UtcNow;
        var start = now.AddHours(-6);
        var readings = Enumerable.Range(0, 2000)
            .Select(i => new Reading(channel, start.AddSeconds(10 * i), i is (>= 300 and < 400) or (>= 1200 and < 1300) ? 130 : 60))
            .ToArray();
        await _factory.Services.GetRequiredService<ITimeSeriesStore>().WriteAsync(readings, CancellationToken.None);

        var response = await PostAsync($$"""{ "rule": {{LimitRule("bt.api.high", channel)}}, "days": 7 }""");
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync(AlarmBacktestJsonContext.Default.AlarmBacktestResult);

        Assert.Equal(("bt.api.high", 2), (result!.RuleId, result.Activations));
    }

    [Fact]
    public async Task Backtest_InvalidRule_Answers400WithEveryReason()
    {
        var response = await PostAsync("""{ "rule": { "kind": "limit", "id": "Bad Id", "name": "", "severity": "major", "channel": "bt.api.x" }, "days": 7 }""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the id must be dotted lower-case", body, StringComparison.Ordinal);
        Assert.Contains("the name is empty", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_UnknownKind_Answers400()
    {
        var response = await PostAsync("""{ "rule": { "kind": "magic", "id": "bt.magic" }, "days": 7 }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"rule\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public async Task Backtest_DaysOutOfRange_Answers400(int days)
    {
        var response = await PostAsync($$"""{ "rule": {{LimitRule("bt.api.days", "bt.api.x")}}, "days": {{days}} }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"days\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
