using System.Net;
using System.Text;
using System.Text.Json;
using Bunit;
using Clovers.Monitor.Client.Tests.Support;
using PmtsPage = Clovers.Monitor.Client.Pages.Pmts;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Client.Tests.Pmts;

/// <summary>The SPE gain reference on the PMT page: shown next to the drift, re-taken by experts.</summary>
public sealed partial class PmtsPageTests
{
    private const string Daq = "daq-main";

    private readonly List<SpeGainReferenceRequest> _retakes = [];
    private readonly List<string> _retakePaths = [];
    private List<SpeGainInfo> _fits =
    [
        Fit("sd1a", gain: 2.05, reference: 2.0, drift: 2.5, source: SpeGainReferenceSources.FirstStableFit),
        Fit("sd2a", gain: 1.9, reference: 2.0, drift: -5, source: "alice"),
    ];

    private List<SpeGainReferenceInfo> _storedReferences =
    [
        new(Daq, "sd1a", 2.0, TestChannels.Now.AddDays(-2), 40, SpeGainReferenceSources.FirstStableFit),
        new(Daq, "sd2a", 2.0, TestChannels.Now.AddDays(-2), 40, "alice"),
    ];

    private Func<SpeGainReferenceRequest, HttpResponseMessage>? _retakeAnswer;

    [Fact]
    public void Render_FitWithReference_ShowsTheDriftAndWhatItIsMeasuredAgainst()
    {
        var page = Render<PmtsPage>();

        page.WaitForAssertion(() => Assert.Equal("+2.5 %", page.Find("[data-testid='pmt-drift-sd1a']").TextContent));
        Assert.Equal("2.00 pC, run 40, 2026-11-24 12:00 UTC, auto: first stable fit", page.Find("[data-testid='pmt-reference-sd1a']").TextContent);
        Assert.Equal("2.00 pC, run 40, 2026-11-24 12:00 UTC, by alice", page.Find("[data-testid='pmt-reference-sd2a']").TextContent);
    }

    [Fact]
    public void SelectPmt_StoredReferenceOverriddenByConfiguration_SaysItIsNotUsed()
    {
        _storedReferences = [new(Daq, "sd1a", 2.0, TestChannels.Now.AddDays(-2), 40, "alice") { OverriddenByConfiguration = true }];

        var page = Selected("sd1a");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='gain-reference-overridden']")));
    }

    [Fact]
    public void RetakeOne_ExpertConfirms_PostsThePmtAndShowsTheNewReference()
    {
        var page = Selected("sd1a");

        page.WaitForElement("[data-testid='gain-retake-arm']:not([disabled])").Click();
        Assert.Empty(_retakes);
        page.Find("[data-testid='gain-retake-confirm']").Click();

        page.WaitForAssertion(() => Assert.Equal("accepted", page.Find("[data-testid='gain-retake-result']").GetAttribute("data-outcome")));
        Assert.Equal(new SpeGainReferenceRequest("sd1a"), Assert.Single(_retakes));
        Assert.Equal(SpectraRoutes.GainReferences(Daq), Assert.Single(_retakePaths));
        page.WaitForAssertion(() => Assert.Equal("2.05 pC, run 41, 2026-11-26 12:00 UTC, by someone", page.Find("[data-testid='pmt-reference-sd1a']").TextContent));
        Assert.Contains("2.05 pC", page.Find("[data-testid='gain-reference-stored']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RetakeAll_ExpertConfirms_PostsWithoutAPmt()
    {
        var page = Selected("sd2a");

        page.WaitForElement("[data-testid='gain-retake-all-arm']:not([disabled])").Click();
        page.Find("[data-testid='gain-retake-confirm']").Click();

        page.WaitForAssertion(() => Assert.Equal("accepted", page.Find("[data-testid='gain-retake-result']").GetAttribute("data-outcome")));
        Assert.Null(Assert.Single(_retakes).Pmt);
    }

    [Fact]
    public void RetakeCancel_Armed_SendsNothing()
    {
        var page = Selected("sd1a");
        page.WaitForElement("[data-testid='gain-retake-arm']:not([disabled])").Click();

        page.Find("[data-testid='gain-retake-cancel']").Click();

        Assert.Empty(page.FindAll("[data-testid='gain-retake-armed']"));
        Assert.Empty(_retakes);
    }

    [Fact]
    public void SelectPmt_Viewer_RetakeDisabledWithTheRoleHint()
    {
        _role = MonitorRoles.Viewer;

        var page = Selected("sd1a");

        page.WaitForAssertion(() => Assert.Equal("2.00 pC, run 40, 2026-11-24 12:00 UTC, auto: first stable fit", page.Find("[data-testid='gain-reference-used']").TextContent));
        Assert.True(page.Find("[data-testid='gain-retake-arm']").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid='gain-retake-all-arm']").HasAttribute("disabled"));
        Assert.StartsWith("Log in as an expert", page.Find("[data-testid='gain-retake-hint']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Retake_ServerHasNoFitYet_ShowsTheProblem()
    {
        _retakeAnswer = _ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"title":"No SPE fit","detail":"PMT sd1a of daq-main has no SPE fit yet"}""", Encoding.UTF8, "application/problem+json"),
        };
        var page = Selected("sd1a");

        page.WaitForElement("[data-testid='gain-retake-arm']:not([disabled])").Click();
        page.Find("[data-testid='gain-retake-confirm']").Click();

        page.WaitForAssertion(() => Assert.Equal("refused", page.Find("[data-testid='gain-retake-result']").GetAttribute("data-outcome")));
        Assert.Equal("Refused: PMT sd1a of daq-main has no SPE fit yet", page.Find("[data-testid='gain-retake-result']").TextContent);
    }

    private static SpeGainInfo Fit(string pmt, double gain, double reference, double drift, string source) =>
        new(Daq, pmt, 41, TestChannels.Now.AddMinutes(-5), gain, 0.02, 0.6, 12000, reference, drift)
        {
            ReferenceTakenAt = TestChannels.Now.AddDays(-2),
            ReferenceRun = 40,
            ReferenceSource = source,
        };

    private IRenderedComponent<PmtsPage> Selected(string pmt)
    {
        var page = Render<PmtsPage>();
        page.WaitForAssertion(() => Assert.Contains(Http.Requests, r => r.AbsolutePath == SpectraRoutes.GainReferences(Daq)));
        page.Find($"[data-testid='pmt-select-{pmt}']").Click();
        return page;
    }

    /// <summary>The gain endpoints: re-taking makes every named PMT's newest fit its reference, as the server does.</summary>
    private HttpResponseMessage? AnswerGains(HttpMethod method, string path, string? body)
    {
        if (path == SpectraRoutes.Gains)
        {
            return Json(JsonSerializer.Serialize<IReadOnlyList<SpeGainInfo>>(_fits, ApiJsonContext.Default.IReadOnlyListSpeGainInfo));
        }

        if (path != SpectraRoutes.GainReferences(Daq))
        {
            return null;
        }

        if (method == HttpMethod.Get)
        {
            return Json(JsonSerializer.Serialize<IReadOnlyList<SpeGainReferenceInfo>>(_storedReferences, ApiJsonContext.Default.IReadOnlyListSpeGainReferenceInfo));
        }

        var request = JsonSerializer.Deserialize(body ?? "null", ApiJsonContext.Default.SpeGainReferenceRequest) ?? throw new InvalidOperationException("no body");
        _retakes.Add(request);
        _retakePaths.Add(path);
        if (_retakeAnswer is { } answer)
        {
            return answer(request);
        }

        var taken = _fits.Where(f => request.Pmt is null || f.Pmt == request.Pmt)
            .Select(f => new SpeGainReferenceInfo(Daq, f.Pmt, f.GainPicocoulomb, TestChannels.Now, f.Run, "someone"))
            .ToList();
        _storedReferences = [.. _storedReferences.Where(r => taken.TrueForAll(t => t.Pmt != r.Pmt)), .. taken];
        _fits = [.. _fits.Select(f => taken.Find(t => t.Pmt == f.Pmt) is { } t
            ? f with { ReferenceGain = t.GainPicocoulomb, DriftPercent = 0, ReferenceTakenAt = t.TakenAt, ReferenceRun = t.Run, ReferenceSource = t.TakenBy }
            : f)];
        return Json(JsonSerializer.Serialize<IReadOnlyList<SpeGainReferenceInfo>>(taken, ApiJsonContext.Default.IReadOnlyListSpeGainReferenceInfo));
    }
}
