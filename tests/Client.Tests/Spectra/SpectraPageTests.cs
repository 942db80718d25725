using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Bunit;
using Clovers.Monitor.Client.Auth;
using Clovers.Monitor.Client.Live;
using Clovers.Monitor.Client.Spectra;
using Clovers.Monitor.Client.Tests.Auth;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SpectraPage = Clovers.Monitor.Client.Pages.Spectra;

namespace Clovers.Monitor.Client.Tests.Spectra;

public sealed class SpectraPageTests : BunitContext
{
    private const string DaqId = "daq-sim";
    private const string SavedName = "dec-nominal";

    private readonly FakeLiveData _liveData = new();
    private readonly FakeTimeProvider _time = new(TestChannels.Now);
    private readonly UserSession _session;
    private readonly ConcurrentQueue<(int SubDetector, string? Minutes)> _rateAsks = new();
    private bool _hasData = true;
    private long _rateScale = 1;
    private HttpResponseMessage? _saveRefusal;

    public SpectraPageTests()
    {
        Http.Respond = Answer;
        // The app's HttpClient adds the cross-site request header to writes; so does this one.
        var http = new HttpClient(new CsrfHeaderHandler(Http)) { BaseAddress = new Uri("http://localhost/") };
        Services.AddSingleton(http);
        Services.AddSingleton<ILiveData>(_liveData);
        Services.AddSingleton<TimeProvider>(_time);
        _session = TestSessions.As(http, role: null);
        Services.AddSingleton(_session);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("WebAssembly", isInteractive: true));
    }

    private FuncHandler Http { get; } = new();

    [Fact]
    public void Render_NoDaqYet_SaysSo()
    {
        _hasData = false;

        var page = Render<SpectraPage>();

        page.WaitForAssertion(() => Assert.Equal("empty", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));
    }

    [Fact]
    public void Render_DaqWithHistograms_ShowsFourPanelsWithRoiCounts()
    {
        var page = Render<SpectraPage>();

        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));
        Assert.Equal(4, page.FindAll("[data-testid^='spectrum-panel-sd']").Count);
        Assert.Equal(Roi(1).ToString(CultureInfo.InvariantCulture), page.Find("[data-testid='roi-sd1']").GetAttribute("data-counts"));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "react");
    }

    [Fact]
    public async Task Push_SameRun_RedrawsInPlaceWithoutReloading()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));
        page.WaitForAssertion(() => Assert.Equal(4, _rateAsks.Count));
        var requestsBefore = Http.Requests.Count;
        var reactsBefore = JSInterop.Invocations.Count(i => i.Identifier == "react");

        await page.InvokeAsync(() => _liveData.PushSpectraAsync(Update(seq: 2, scale: 3)));

        page.WaitForAssertion(() => Assert.Equal(Roi(3).ToString(CultureInfo.InvariantCulture), page.Find("[data-testid='roi-sd1']").GetAttribute("data-counts")));
        Assert.Equal(requestsBefore, Http.Requests.Count);
        Assert.True(JSInterop.Invocations.Count(i => i.Identifier == "react") > reactsBefore);
    }

    [Fact]
    public async Task Push_NewRun_ReloadsFromTheApi()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));
        var requestsBefore = Http.Requests.Count;

        await page.InvokeAsync(() => _liveData.PushSpectraAsync(Update(seq: 1, scale: 1) with { Run = 8 }));

        page.WaitForAssertion(() => Assert.True(Http.Requests.Count > requestsBefore));
    }

    [Fact]
    public void ScaleButtons_Log_IsPressedByDefaultAndLinearAfterClick()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));

        Assert.Equal("true", page.Find("[data-testid='scale-log']").GetAttribute("aria-pressed"));
        page.Find("[data-testid='scale-linear']").Click();

        Assert.Equal("true", page.Find("[data-testid='scale-linear']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Reference_Chosen_SaysHowItIsNormalised()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));

        page.Find("[data-testid='reference-picker']").Change("ref:nominal");

        page.WaitForAssertion(() => Assert.Contains("protons on target", page.Find("[data-testid='normalisation-note']").TextContent, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Contains("reference at this exposure", page.Find("[data-testid='roi-sd1']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Page_SubscribesToSpectraOnTheSharedLiveData()
    {
        var page = Render<SpectraPage>();

        page.WaitForAssertion(() => Assert.Equal(1, _liveData.SpectraSubscribers));
    }

    [Fact]
    public async Task Dispose_Page_EndsItsSpectraSubscription()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal(1, _liveData.SpectraSubscribers));

        await DisposeComponentsAsync();

        Assert.Equal(0, _liveData.SpectraSubscribers);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(MonitorRoles.Viewer)]
    [InlineData(MonitorRoles.Shifter)]
    public void SaveReference_NotExpert_IsDisabledWithAHint(string? role)
    {
        LogIn(role);

        var page = RenderLive();

        var button = page.Find("[data-testid='save-reference']");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Contains("expert", button.GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void SaveReference_Expert_IsEnabled()
    {
        LogIn(MonitorRoles.Expert);

        var page = RenderLive();

        Assert.False(page.Find("[data-testid='save-reference']").HasAttribute("disabled"));
    }

    [Fact]
    public void SaveReference_Submitted_PostsTheNameAndTheShownRunWithTheCsrfHeader()
    {
        LogIn(MonitorRoles.Expert);
        var page = RenderLive();

        SaveAs(page, SavedName);

        page.WaitForAssertion(() => Assert.Contains(Http.Requests, r => r.Method == HttpMethod.Post));
        var post = Assert.Single(Http.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal(SpectraRoutes.References(DaqId), post.Path);
        Assert.Equal(new SpectrumReferenceRequest(SavedName, 7), JsonSerializer.Deserialize(post.Body!, ApiJsonContext.Default.SpectrumReferenceRequest));
        Assert.Equal(CsrfHeader.Value, post.Headers[CsrfHeader.Name]);
    }

    [Fact]
    public void SaveReference_Accepted_ShowsTheAnswerAndOffersTheNewReference()
    {
        LogIn(MonitorRoles.Expert);
        var page = RenderLive();

        SaveAs(page, SavedName);

        page.WaitForAssertion(() => Assert.Contains($"“{SavedName}”", page.Find("[data-testid='reference-save-result']").TextContent, StringComparison.Ordinal));
        Assert.Contains(page.FindAll("[data-testid='reference-picker'] option"), o => o.GetAttribute("value") == "ref:" + SavedName);
        Assert.Empty(page.FindAll("[data-testid='save-reference-form']"));
    }

    [Fact]
    public void SaveReference_Refused_ShowsTheProblemText()
    {
        LogIn(MonitorRoles.Expert);
        _saveRefusal = FuncHandler.Json(
            HttpStatusCode.BadRequest,
            """{"title":"One or more validation errors occurred.","status":400,"errors":{"name":["A name of lower-case letters is required."]}}""",
            "application/problem+json");
        var page = RenderLive();

        SaveAs(page, SavedName);

        page.WaitForAssertion(() => Assert.Contains("A name of lower-case letters is required.", page.Find("[data-testid='reference-save-error']").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(page.FindAll("[data-testid='reference-picker'] option"), o => o.GetAttribute("value") == "ref:" + SavedName);
    }

    [Fact]
    public void Rate_Loaded_ShowsEachPanelsRoiRateOverTenMinutes()
    {
        var page = RenderLive();

        for (var sd = 1; sd <= 4; sd++)
        {
            var panel = sd;
            page.WaitForAssertion(() => Assert.Equal(RateText(RoiRate(panel, 1)), page.Find($"[data-testid='rate-sd{panel}']").GetAttribute("data-rate")));
        }

        Assert.Equal([1, 2, 3, 4], _rateAsks.Select(a => a.SubDetector).Order());
        Assert.All(_rateAsks, a => Assert.Equal("10", a.Minutes));
    }

    [Fact]
    public void Rate_SpanChangedToSixtyMinutes_AsksEveryPanelAgain()
    {
        var page = RenderLive();
        page.WaitForAssertion(() => Assert.Equal(4, _rateAsks.Count));

        page.Find("[data-testid='rate-minutes']").Change("60");

        page.WaitForAssertion(() => Assert.Equal(4, _rateAsks.Count(a => a.Minutes == "60")));
        Assert.Contains("last 60 min", page.Find("[data-testid='rate-sd1']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_PushWithinAMinute_DoesNotAskAgain()
    {
        var page = RenderLive();
        page.WaitForAssertion(() => Assert.Equal(4, _rateAsks.Count));
        _time.Advance(RateRefreshSchedule.Interval - TimeSpan.FromSeconds(1));

        await page.InvokeAsync(() => _liveData.PushSpectraAsync(Update(seq: 2, scale: 3)));

        page.WaitForAssertion(() => Assert.Equal(Roi(3).ToString(CultureInfo.InvariantCulture), page.Find("[data-testid='roi-sd1']").GetAttribute("data-counts")));
        Assert.Equal(4, _rateAsks.Count);
    }

    [Fact]
    public async Task Rate_PushAfterAMinute_RefreshesEveryPanel()
    {
        var page = RenderLive();
        page.WaitForAssertion(() => Assert.Equal(4, _rateAsks.Count));
        _time.Advance(RateRefreshSchedule.Interval);
        _rateScale = 5;

        await page.InvokeAsync(() => _liveData.PushSpectraAsync(Update(seq: 2, scale: 3)));

        page.WaitForAssertion(() => Assert.Equal(RateText(RoiRate(4, 5)), page.Find("[data-testid='rate-sd4']").GetAttribute("data-rate")));
        Assert.Equal(8, _rateAsks.Count);
    }

    private static double[] Edges() => [.. Enumerable.Range(0, 101).Select(i => (double)i)];

    private static long[] Counts(long scale) => [.. Enumerable.Range(0, 100).Select(i => scale * (1 + (100 / (i + 1))))];

    private static long Roi(long scale) => SpectraRoutes.CountsBetween(Edges(), Counts(scale));

    private static double RoiRate(int subDetector, long scale) => subDetector * scale / 100.0;

    private static string RateText(double rate) => rate.ToString("R", CultureInfo.InvariantCulture);

    private static SpectrumSummary Summary(string key, long run = 7, long seq = 1, long scale = 1)
    {
        var sd = key[2] - '0';
        var window = key.EndsWith("signal", StringComparison.Ordinal) ? DaqWindow.Signal : DaqWindow.Pretrace;
        return new SpectrumSummary(DaqId, key, HistogramKind.Npe, sd, window, null, "NPE", run, seq, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            25 * seq, seq, 2e13 * seq, Counts(scale).Sum(), Roi(scale), true);
    }

    private static IEnumerable<string> Keys() =>
        Enumerable.Range(1, 4).SelectMany(sd => new[] { HistogramKeys.Npe(sd, DaqWindow.Signal), HistogramKeys.Npe(sd, DaqWindow.Pretrace) });

    private static SpectraUpdate Update(long seq, long scale) =>
        new(DaqId, 7, seq, DateTimeOffset.UnixEpoch, 25 * seq, seq, 2e13 * seq, [.. Keys().Select(k => new SpectrumCounts(k, Counts(scale).Sum(), Roi(scale), Counts(scale)))]);

    private static void SaveAs(IRenderedComponent<SpectraPage> page, string name)
    {
        page.Find("[data-testid='save-reference']").Click();
        page.Find("[data-testid='reference-name']").Input(name);
        page.Find("[data-testid='save-reference-form']").Submit();
    }

    private void LogIn(string? role) => _session.SetAsync(TestSessions.User(role)).GetAwaiter().GetResult();

    private IRenderedComponent<SpectraPage> RenderLive()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));
        return page;
    }

    private HttpResponseMessage Answer(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        var path = uri.AbsolutePath;
        var daqPrefix = SpectraRoutes.Spectra + "/" + DaqId + "/";
        string? json = null;
        if (request.Method == HttpMethod.Post && path == SpectraRoutes.References(DaqId))
        {
            if (_saveRefusal is not null)
            {
                return _saveRefusal;
            }

            json = JsonSerializer.Serialize(new SpectrumReferenceInfo(DaqId, SavedName, 7, TestChannels.Now, "test-expert", 25, 1, 2e13, 16), ApiJsonContext.Default.SpectrumReferenceInfo);
        }
        else if (path == SpectraRoutes.Spectra)
        {
            IReadOnlyList<SpectrumSummary> list = _hasData ? [.. Keys().Select(k => Summary(k))] : [];
            json = JsonSerializer.Serialize(list, ApiJsonContext.Default.IReadOnlyListSpectrumSummary);
        }
        else if (path == SpectraRoutes.Runs(DaqId))
        {
            IReadOnlyList<SpectraRunInfo> runs = [new(DaqId, 7, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, 25, 1, 2e13, 1)];
            json = JsonSerializer.Serialize(runs, ApiJsonContext.Default.IReadOnlyListSpectraRunInfo);
        }
        else if (path == SpectraRoutes.References(DaqId))
        {
            IReadOnlyList<SpectrumReferenceInfo> references = [new(DaqId, "nominal", 5, DateTimeOffset.UnixEpoch, "expert", 2500, 100, 2e15, 16)];
            json = JsonSerializer.Serialize(references, ApiJsonContext.Default.IReadOnlyListSpectrumReferenceInfo);
        }
        else if (path.StartsWith(daqPrefix, StringComparison.Ordinal) && path.EndsWith("/rate", StringComparison.Ordinal))
        {
            var key = Uri.UnescapeDataString(path[daqPrefix.Length..^"/rate".Length]);
            var sd = key[2] - '0';
            _rateAsks.Enqueue((sd, System.Web.HttpUtility.ParseQueryString(uri.Query)["minutes"]));
            var roi = sd * _rateScale;
            var rate = new SpectrumRate(DaqId, key, 7, TestChannels.Now.AddMinutes(-10), TestChannels.Now, 100, 2e15, Edges(), new double[100], roi, roi, RoiRate(sd, _rateScale));
            json = JsonSerializer.Serialize(rate, ApiJsonContext.Default.SpectrumRate);
        }
        else if (path.StartsWith(daqPrefix, StringComparison.Ordinal))
        {
            var key = Uri.UnescapeDataString(path[daqPrefix.Length..]);
            var reference = uri.Query.Contains("reference=", StringComparison.Ordinal);
            var summary = reference ? Summary(key, run: 5, seq: 100, scale: 50) : Summary(key);
            json = JsonSerializer.Serialize(new SpectrumData(summary, Edges(), Counts(reference ? 50 : 1), reference ? "nominal" : null), ApiJsonContext.Default.SpectrumData);
        }

        return json is null ? new HttpResponseMessage(HttpStatusCode.NotFound) : FuncHandler.Json(HttpStatusCode.OK, json);
    }
}
