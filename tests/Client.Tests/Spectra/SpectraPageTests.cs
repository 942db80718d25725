using System.Net;
using System.Text.Json;
using Bunit;
using Clovers.Monitor.Client.Spectra;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.DependencyInjection;
using SpectraPage = Clovers.Monitor.Client.Pages.Spectra;

namespace Clovers.Monitor.Client.Tests.Spectra;

public sealed class SpectraPageTests : BunitContext
{
    private const string DaqId = "daq-sim";

    private readonly FakeSpectraFeed _feed = new();
    private readonly Dictionary<string, long> _scale = new(StringComparer.Ordinal);
    private bool _hasData = true;

    public SpectraPageTests()
    {
        Http.Override = Answer;
        Services.AddSingleton<ISpectraFeedFactory>(_feed);
        Services.AddSingleton(new HttpClient(Http) { BaseAddress = new Uri("http://localhost/") });
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("WebAssembly", isInteractive: true));
    }

    private StubHttpHandler Http { get; } = new();

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
        Assert.Equal(Roi(1).ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid='roi-sd1']").GetAttribute("data-counts"));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "react");
    }

    [Fact]
    public async Task Push_SameRun_RedrawsInPlaceWithoutReloading()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));
        var requestsBefore = Http.Requests.Count;
        var reactsBefore = JSInterop.Invocations.Count(i => i.Identifier == "react");

        await page.InvokeAsync(() => _feed.PushAsync(Update(seq: 2, scale: 3)));

        page.WaitForAssertion(() => Assert.Equal(Roi(3).ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid='roi-sd1']").GetAttribute("data-counts")));
        Assert.Equal(requestsBefore, Http.Requests.Count);
        Assert.True(JSInterop.Invocations.Count(i => i.Identifier == "react") > reactsBefore);
    }

    [Fact]
    public async Task Push_NewRun_ReloadsFromTheApi()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.Equal("live", page.Find("[data-testid='spectra-status']").GetAttribute("data-state")));
        var requestsBefore = Http.Requests.Count;

        await page.InvokeAsync(() => _feed.PushAsync(Update(seq: 1, scale: 1) with { Run = 8 }));

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
    public async Task Dispose_Page_DisposesItsFeed()
    {
        var page = Render<SpectraPage>();
        page.WaitForAssertion(() => Assert.True(_feed.Started));

        await DisposeComponentsAsync();

        Assert.True(_feed.Disposed);
    }

    private static double[] Edges() => [.. Enumerable.Range(0, 101).Select(i => (double)i)];

    private static long[] Counts(long scale) => [.. Enumerable.Range(0, 100).Select(i => scale * (1 + (100 / (i + 1))))];

    private static long Roi(long scale) => SpectraRoutes.CountsBetween(Edges(), Counts(scale));

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

    private HttpResponseMessage? Answer(Uri uri)
    {
        var path = uri.AbsolutePath;
        string? json = null;
        if (path == SpectraRoutes.Spectra)
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
        else if (path.StartsWith(SpectraRoutes.Spectra + "/" + DaqId + "/", StringComparison.Ordinal))
        {
            var key = Uri.UnescapeDataString(path[(SpectraRoutes.Spectra.Length + DaqId.Length + 2)..]);
            var reference = uri.Query.Contains("reference=", StringComparison.Ordinal);
            var summary = reference ? Summary(key, run: 5, seq: 100, scale: 50) : Summary(key);
            json = JsonSerializer.Serialize(new SpectrumData(summary, Edges(), Counts(reference ? 50 : 1), reference ? "nominal" : null), ApiJsonContext.Default.SpectrumData);
        }

        return json is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
    }

    private sealed class FakeSpectraFeed : ISpectraFeedFactory, ISpectraFeed
    {
        private Func<SpectraUpdate, Task>? _onUpdate;

        public bool Started { get; private set; }

        public bool Disposed { get; private set; }

        public ISpectraFeed Create() => this;

        public Task StartAsync(Func<SpectraUpdate, Task> onUpdate, CancellationToken cancellationToken)
        {
            _onUpdate = onUpdate;
            Started = true;
            return Task.CompletedTask;
        }

        public Task PushAsync(SpectraUpdate update) => _onUpdate?.Invoke(update) ?? Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
