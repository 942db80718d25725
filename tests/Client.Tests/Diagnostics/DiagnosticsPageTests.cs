using System.Net;
using System.Text.Json;
using Bunit;
using Clovers.Monitor.Client.Tests.Support;
using Clovers.Monitor.Shared.Api;
using DiagnosticsPage = Clovers.Monitor.Client.Pages.Diagnostics;

namespace Clovers.Monitor.Client.Tests.Diagnostics;

public sealed class DiagnosticsPageTests : DashboardTestContext
{
    private ServerDiagnostics? _answer = Document(messagesPerSecond: 12, received: 1000, hubConnections: 3);

    public DiagnosticsPageTests()
    {
        Http.Override = uri =>
        {
            if (uri.AbsolutePath != DiagnosticsRoutes.Diagnostics)
            {
                return null;
            }

            return _answer is null
                ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                : new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent(JsonSerializer.Serialize(_answer, DiagnosticsJsonContext.Default.ServerDiagnostics), System.Text.Encoding.UTF8, "application/json"),
                };
        };
    }

    private static ServerDiagnostics Document(double messagesPerSecond, long received, int hubConnections, IReadOnlyList<AgentOutboxDepth>? outboxes = null) =>
        new(
            TestChannels.Now,
            "clovers-server-a",
            "1.2.3",
            TestChannels.Now.AddHours(-26),
            26 * 3600,
            new IngestRates(messagesPerSecond, messagesPerSecond * 50, messagesPerSecond * 50, 60),
            new IngestDiagnostics(
                TestChannels.Now.AddHours(-26),
                received,
                received - 2,
                2,
                received * 50,
                received * 50,
                new Dictionary<string, long> { ["malformed-json"] = 2 },
                new Dictionary<string, long> { ["rogue-agent"] = 2 },
                new Dictionary<string, int> { ["pipeline"] = 4, ["store"] = 17 },
                new StoreLatency(1.5, 2.25, 31, 400),
                0),
            new ConnectionDiagnostics(hubConnections, 5, true, 0),
            outboxes ?? [],
            new ProcessDiagnostics(150L * 1024 * 1024, 40L * 1024 * 1024, 1L << 33, 2.5 * 1024 * 1024, 120, 8, 2, 9),
            new ScaleOutDiagnostics(false, null));

    private string Text(IRenderedComponent<DiagnosticsPage> page, string testId) => page.Find($"[data-testid='{testId}']").TextContent.Trim();

    [Fact]
    public void Render_DiagnosticsAnswered_ShowsRatesConnectionsMemoryAndUptime()
    {
        var page = Render<DiagnosticsPage>();

        page.WaitForAssertion(() => Assert.Equal("12/s", Text(page, "messages-rate")));
        Assert.Equal("600/s", Text(page, "readings-rate"));
        Assert.Equal("3", Text(page, "hub-connections"));
        Assert.Equal("5", Text(page, "mqtt-clients"));
        Assert.Equal("150 MiB", Text(page, "working-set"));
        Assert.Equal("120 / 8 / 2", Text(page, "gc-counts"));
        Assert.Equal("1 d 2 h", Text(page, "uptime"));
        Assert.Equal("31 ms", Text(page, "store-p99"));
    }

    [Fact]
    public void Render_Rejections_ListedByReasonAndBySource()
    {
        var page = Render<DiagnosticsPage>();

        page.WaitForAssertion(() => Assert.Contains("malformed-json", page.Find("[data-testid='rejections-by-reason']").TextContent));
        Assert.Contains("rogue-agent", page.Find("[data-testid='rejections-by-source']").TextContent);
        Assert.Contains("store", page.Find("[data-testid='queue-depths']").TextContent);
    }

    [Fact]
    public void Render_AgentPublishesOutboxDepth_ShowsItsBacklog()
    {
        _answer = Document(1, 1, 1, [new AgentOutboxDepth("platform-1", 1234, TestChannels.Now)]);

        var page = Render<DiagnosticsPage>();

        page.WaitForAssertion(() => Assert.Contains("1,234", page.Find("[data-testid='outbox-platform-1']").TextContent));
    }

    [Fact]
    public void RefreshInterval_Elapsed_ShowsTheNewFigures()
    {
        var page = Render<DiagnosticsPage>();
        page.WaitForAssertion(() => Assert.Equal("1,000", Text(page, "messages-received")));

        _answer = Document(messagesPerSecond: 250, received: 16_000, hubConnections: 7);
        Time.Advance(DiagnosticsPage.RefreshInterval);

        page.WaitForAssertion(() => Assert.Equal("16,000", Text(page, "messages-received")));
        Assert.Equal("250/s", Text(page, "messages-rate"));
        Assert.Equal("7", Text(page, "hub-connections"));
    }

    [Fact]
    public void RefreshFails_AfterAGoodRead_KeepsTheFiguresAndSaysWhy()
    {
        var page = Render<DiagnosticsPage>();
        page.WaitForAssertion(() => Assert.Equal("3", Text(page, "hub-connections")));

        _answer = null;
        Time.Advance(DiagnosticsPage.RefreshInterval);

        page.WaitForAssertion(() => Assert.Contains("last good read", Text(page, "diagnostics-error")));
        Assert.Equal("3", Text(page, "hub-connections"));
    }
}
