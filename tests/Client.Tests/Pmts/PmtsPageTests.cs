using System.Net;
using System.Text;
using System.Text.Json;
using Bunit;
using PmtsPage = Clovers.Monitor.Client.Pages.Pmts;
using Clovers.Monitor.Client.Pmts;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Control;
using Clovers.Monitor.Shared.Live;
using Clovers.Monitor.Shared.Protocol;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Trends;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Clovers.Monitor.Client.Tests.Pmts;

public sealed partial class PmtsPageTests : BunitContext
{
    private FakeLiveData LiveData { get; } = new();

    private StubHttpHandler Http { get; } = new();

    private FakeTimeProvider Time { get; } = new(TestChannels.Now);

    private readonly List<HvCommandRequest> _sent = [];
    private string _role = MonitorRoles.Expert;
    private Func<HvCommandRequest, HttpResponseMessage> _answer = request => Ok(request, ControlOutcome.Accepted, null);

    public PmtsPageTests()
    {
        LiveData.SetChannels(
        [
            .. PmtTable.Pmts.SelectMany(pmt => Channels(pmt, read: pmt == "sd3a" ? 1470 : 1500.2)),
        ]);
        Services.AddSingleton<ILiveData>(LiveData);
        Services.AddSingleton<TimeProvider>(Time);
        var http = new HttpClient(new ControlServer(this)) { BaseAddress = new Uri("http://localhost/") };
        Services.AddSingleton(http);
        Services.AddSingleton(new UserSession(http, NullLogger<UserSession>.Instance));
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
    }

    [Fact]
    public void Render_EightPmts_OneRowEach()
    {
        var page = Render<PmtsPage>();

        Assert.Equal(8, page.FindAll("[data-testid^='pmt-row-']").Count);
    }

    [Fact]
    public void Render_PmtReadbackThirtyVoltsOff_RowIsHighlightedAsOff()
    {
        var page = Render<PmtsPage>();

        var off = page.Find("[data-testid='pmt-row-sd3a']");
        Assert.Equal(("true", "alarm"), (off.GetAttribute("data-off"), off.GetAttribute("data-status")));
        Assert.Equal("false", page.Find("[data-testid='pmt-row-sd1a']").GetAttribute("data-off"));
        Assert.Equal("-30.0 V", page.Find("[data-testid='pmt-deviation-sd3a']").TextContent);
    }

    [Fact]
    public void Render_NoGainChannel_ShowsADash() =>
        Assert.Equal("—", Render<PmtsPage>().Find("[data-testid='pmt-gain-sd1a']").TextContent);

    [Fact]
    public void Render_DarkRateHistory_ShowsTheMedianAndBand()
    {
        var page = Render<PmtsPage>();

        page.WaitForAssertion(() => Assert.Contains("Hz (", page.Find("[data-testid='pmt-baseline-sd1a']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void SelectPmt_Expert_ArmShowsOldAndNewThenConfirmSendsOneCommandAndShowsTheReply()
    {
        var page = Render<PmtsPage>();
        page.WaitForAssertion(() => Assert.Contains(Http.Requests, r => r.AbsolutePath == AuthRoutes.Me));
        page.Find("[data-testid='pmt-select-sd2a']").Click();

        page.WaitForElement("[data-testid='hv-new']").Input("1520");
        page.Find("[data-testid='hv-arm']").Click();
        Assert.Equal(("1500 V", "1520 V"), (page.Find("[data-testid='hv-armed-old']").TextContent, page.Find("[data-testid='hv-armed-new']").TextContent));
        Assert.Empty(_sent);
        page.Find("[data-testid='hv-confirm']").Click();

        page.WaitForAssertion(() => Assert.Equal("accepted", page.Find("[data-testid='hv-result']").GetAttribute("data-outcome")));
        var sent = Assert.Single(_sent);
        Assert.Equal(("platform-sim", "sd2a", 1520.0), (sent.AgentId, sent.Pmt, sent.Volts));
        Assert.Empty(page.FindAll("[data-testid='hv-armed']"));
    }

    [Fact]
    public void Confirm_ServerRefuses_ShowsTheReason()
    {
        _answer = _ => new HttpResponseMessage(HttpStatusCode.UnprocessableEntity)
        {
            Content = new StringContent("""{"title":"Refused by the HV policy","detail":"Server policy: 1700 V is above the configured maximum of 1650 V"}""", Encoding.UTF8, "application/problem+json"),
        };
        var page = ArmedFor("sd2a", "1700");

        page.Find("[data-testid='hv-confirm']").Click();

        page.WaitForAssertion(() => Assert.Contains("above the configured maximum of 1650 V", page.Find("[data-testid='hv-result']").TextContent, StringComparison.Ordinal));
        Assert.Equal("refused", page.Find("[data-testid='hv-result']").GetAttribute("data-outcome"));
    }

    [Fact]
    public void Confirm_UnknownOutcome_StaysArmedAndSendsTheSameCommandIdAgain()
    {
        _answer = request => Ok(request, ControlOutcome.Unknown, "no reply from agent platform-sim within 10 s");
        var page = ArmedFor("sd2a", "1510");

        page.Find("[data-testid='hv-confirm']").Click();
        page.WaitForAssertion(() => Assert.Equal("unknown", page.Find("[data-testid='hv-result']").GetAttribute("data-outcome")));
        _answer = request => Ok(request, ControlOutcome.Accepted, null);
        page.Find("[data-testid='hv-confirm']").Click();

        page.WaitForAssertion(() => Assert.Equal("accepted", page.Find("[data-testid='hv-result']").GetAttribute("data-outcome")));
        Assert.Equal(2, _sent.Count);
        Assert.Equal(_sent[0].CommandId, _sent[1].CommandId);
    }

    [Fact]
    public void Cancel_Armed_SendsNothing()
    {
        var page = ArmedFor("sd2a", "1510");

        page.Find("[data-testid='hv-cancel']").Click();

        Assert.Empty(page.FindAll("[data-testid='hv-armed']"));
        Assert.Empty(_sent);
    }

    [Fact]
    public void SelectPmt_Viewer_NoHvControl()
    {
        _role = MonitorRoles.Viewer;
        var page = Render<PmtsPage>();

        page.Find("[data-testid='pmt-select-sd2a']").Click();

        Assert.NotEmpty(page.FindAll("[data-testid='pmt-detail']"));
        Assert.Empty(page.FindAll("[data-testid='hv-control']"));
    }

    [Fact]
    public async Task LiveUpdate_SelectedPmtsCurrent_ExtendsItsCurrentTrend()
    {
        var page = SelectedAndLoaded("sd1a");

        await LiveData.PushUpdatesAsync(Update(PmtTable.Current("sd1a"), 101, TestChannels.Now.AddSeconds(10)));
        Time.Advance(ChartBucket);

        // One append for the min–max strokes, one for the mean line, both on the current chart.
        page.WaitForAssertion(() => Assert.Equal(["pmt-chart-current", "pmt-chart-current"], ExtendTracesCalls().Select(static c => c.Arguments[0])));
        Assert.Equal([101.0], ((IEnumerable<IEnumerable<object?>>)ExtendTracesCalls()[1].Arguments[2]!).Single());
    }

    [Fact]
    public async Task LiveUpdate_SelectedPmtsHvSetpoint_ExtendsItsOwnTraceOnTheHvChart()
    {
        var page = SelectedAndLoaded("sd1a");

        await LiveData.PushUpdatesAsync(Update(PmtTable.HvSet("sd1a"), 1520, TestChannels.Now.AddSeconds(10)));
        Time.Advance(ChartBucket);

        // The readback is the HV chart's first channel (traces 0 and 1), the setpoint its second.
        page.WaitForAssertion(() => Assert.Equal(2, ExtendTracesCalls().Count));
        Assert.Equal("pmt-chart-hv", ExtendTracesCalls()[1].Arguments[0]);
        Assert.Equal([TrendChart.MeanTraceIndex(1)], (IEnumerable<int>)ExtendTracesCalls()[1].Arguments[3]!);
    }

    [Fact]
    public async Task LiveUpdate_AnotherPmt_LeavesTheTrendsAlone()
    {
        var page = SelectedAndLoaded("sd1a");

        await LiveData.PushUpdatesAsync(
            Update(PmtTable.Current("sd2a"), 101, TestChannels.Now.AddSeconds(10)),
            Update(PmtTable.DarkRate("sd1b"), 120, TestChannels.Now.AddSeconds(10)));
        Time.Advance(ChartBucket);
        await LiveData.PushUpdatesAsync(Update(PmtTable.Current("sd1a"), 101, TestChannels.Now + ChartBucket + TimeSpan.FromSeconds(10)));
        Time.Advance(ChartBucket);

        // Only the selected PMT's reading, flushed after the others, reaches a chart.
        page.WaitForAssertion(() => Assert.Equal(2, ExtendTracesCalls().Count));
        Assert.All(ExtendTracesCalls(), static c => Assert.Equal("pmt-chart-current", c.Arguments[0]));
    }

    [Fact]
    public async Task LiveUpdates_MoreThanAWindowOfReadings_EveryAppendCapsTheTraceAtAWindowsWorth()
    {
        var page = SelectedAndLoaded("sd1a");
        var capacity = TrendSeries.FromHistory(StubHttpHandler.History("x", TestChannels.Now.AddHours(-6), TestChannels.Now, 10), TimeZoneInfo.Utc, out _).Capacity;
        var readings = capacity + 8;

        for (var i = 0; i < readings; i++)
        {
            await LiveData.PushUpdatesAsync(Update(PmtTable.Current("sd1a"), 100 + i, TestChannels.Now + (ChartBucket * i) + TimeSpan.FromSeconds(10)));
            Time.Advance(ChartBucket);
            page.WaitForAssertion(() => Assert.Equal(2 * (i + 1), ExtendTracesCalls().Count));
        }

        var calls = ExtendTracesCalls();
        Assert.All(calls.Where((_, index) => index % 2 == 0), c => Assert.Equal(capacity * TrendChart.RangePointsPerBucket, c.Arguments[4]));
        Assert.All(calls.Where((_, index) => index % 2 == 1), c => Assert.Equal(capacity, c.Arguments[4]));
    }

    [Fact]
    public async Task Backfill_AfterReconnect_LoadsTheSelectedPmtsHistoryAgain()
    {
        var page = SelectedAndLoaded("sd1a");
        var before = HistoryRequestsFor(PmtTable.Current("sd1a"));

        await LiveData.RaiseBackfillAsync(TestChannels.Now.AddMinutes(-1));

        page.WaitForAssertion(() => Assert.True(HistoryRequestsFor(PmtTable.Current("sd1a")) > before));
    }

    [Fact]
    public async Task Changed_GainChannelAppearsAfterTheChartsLoaded_LoadsTheGainTrend()
    {
        var page = SelectedAndLoaded("sd1a");
        Assert.Equal("empty", page.Find("[data-testid='pmt-chart-gain']").GetAttribute("data-state"));

        LiveData.SetChannels([.. LiveData.Channels.Values, TestChannels.Channel(PmtTable.Gain("sd1a"), ChannelGroup.Pmt, 2.1, unit: "pC", agentId: "platform-sim")]);
        await LiveData.RaiseChangedAsync();

        page.WaitForAssertion(() => Assert.Equal("loaded", page.Find("[data-testid='pmt-chart-gain']").GetAttribute("data-state")));
    }

    /// <summary>The stub answers 6 h of history in 10 buckets: 36 min each, live from <see cref="TestChannels.Now"/>.</summary>
    private static TimeSpan ChartBucket => TimeSpan.FromMinutes(36);

    private static ChannelUpdate Update(string channel, double value, DateTimeOffset timestamp) =>
        new(channel, value, timestamp, Quality.Good, ChannelStatus.Ok);

    private List<JSRuntimeInvocation> ExtendTracesCalls() =>
        [.. JSInterop.Invocations.Where(static invocation => invocation.Identifier == "extendTraces")];

    private int HistoryRequestsFor(string channel) =>
        Http.Requests.Count(uri => uri.AbsolutePath == $"/api/channels/{channel}/history");

    private IRenderedComponent<PmtsPage> SelectedAndLoaded(string pmt)
    {
        var page = Render<PmtsPage>();
        page.WaitForAssertion(() => Assert.Contains(Http.Requests, r => r.AbsolutePath == AuthRoutes.Me));
        page.Find($"[data-testid='pmt-select-{pmt}']").Click();
        page.WaitForAssertion(() => Assert.Equal("loaded", page.Find("[data-testid='pmt-chart-current']").GetAttribute("data-state")));
        page.WaitForAssertion(() => Assert.NotEqual("loading", page.Find("[data-testid='pmt-chart-gain']").GetAttribute("data-state")));
        return page;
    }

    private IRenderedComponent<PmtsPage> ArmedFor(string pmt, string volts)
    {
        var page = Render<PmtsPage>();
        page.WaitForAssertion(() => Assert.Contains(Http.Requests, r => r.AbsolutePath == AuthRoutes.Me));
        page.Find($"[data-testid='pmt-select-{pmt}']").Click();
        page.WaitForElement("[data-testid='hv-new']").Input(volts);
        page.Find("[data-testid='hv-arm']").Click();
        return page;
    }

    private static IEnumerable<ChannelState> Channels(string pmt, double read) =>
    [
        TestChannels.Channel(PmtTable.HvSet(pmt), ChannelGroup.Pmt, 1500, unit: "V", agentId: "platform-sim"),
        TestChannels.Channel(PmtTable.HvRead(pmt), ChannelGroup.Pmt, read, unit: "V", agentId: "platform-sim"),
        TestChannels.Channel(PmtTable.Current(pmt), ChannelGroup.Pmt, 100, unit: "µA", agentId: "platform-sim"),
        TestChannels.Channel(PmtTable.DarkRate(pmt), ChannelGroup.Pmt, 111, unit: "Hz", agentId: "platform-sim"),
    ];

    private static HttpResponseMessage Ok(HvCommandRequest request, ControlOutcome outcome, string? reason) =>
        Json(JsonSerializer.Serialize(
            new ControlCommandView(request.CommandId, request.AgentId, request.Pmt, 1500, request.Volts, outcome, reason, "expert", TestChannels.Now, TestChannels.Now),
            ControlJsonContext.Default.ControlCommandView));

    private static HttpResponseMessage Json(string json) =>
        new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private HttpResponseMessage? Answer(HttpMethod method, Uri uri, string? body)
    {
        if (AnswerGains(method, uri.AbsolutePath, body) is { } gains)
        {
            return gains;
        }

        switch (uri.AbsolutePath)
        {
            case AuthRoutes.Me:
                return Json(JsonSerializer.Serialize(new CurrentUser("someone", [_role], true), AuthJsonContext.Default.CurrentUser));
            case ControlRoutes.HvPolicy:
                return Json(JsonSerializer.Serialize(new HvPolicyView(1650, 50, 10, 10), ControlJsonContext.Default.HvPolicyView));
            case ControlRoutes.Hv:
                var request = JsonSerializer.Deserialize(body ?? "null", ControlJsonContext.Default.HvCommandRequest) ?? throw new InvalidOperationException("no body");
                _sent.Add(request);
                return _answer(request);
            case var path when path.EndsWith(".darkrate/history", StringComparison.Ordinal):
                // A steady ~111 Hz over the day, as the detector's PMTs count at 77 K.
                var history = new ChannelHistory(Uri.UnescapeDataString(path.Split('/')[3]), "Hz", TestChannels.Now.AddDays(-1), TestChannels.Now, 300,
                    [.. Enumerable.Range(0, 20).Select(i => new HistoryBucket(TestChannels.Now.AddDays(-1).AddMinutes(5 * i), 100 + i, 112 + i, 101 + i, 101 + i, 30))]);
                return Json(JsonSerializer.Serialize(history, ApiJsonContext.Default.ChannelHistory));
            default:
                return null;
        }
    }

    /// <summary>The control and identity endpoints with their request bodies; anything else goes to the history stub.</summary>
    private sealed class ControlServer(PmtsPageTests test) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            test.Http.Requests.Enqueue(request.RequestUri!);
            if (test.Answer(request.Method, request.RequestUri!, body) is { } answer)
            {
                return answer;
            }

            using var invoker = new HttpMessageInvoker(test.Http, disposeHandler: false);
            return await invoker.SendAsync(request, cancellationToken);
        }
    }
}
