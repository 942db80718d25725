using System.Net;
using System.Net.Http.Json;
using Clovers.Monitor.Server.Alarms.Persistence;
using Clovers.Monitor.Server.Alarms.States;
using Clovers.Monitor.Server.Audit;
using Clovers.Monitor.Server.Logbook;
using Clovers.Monitor.Server.Storage;
using Clovers.Monitor.Server.Tests.Integration;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;
using Clovers.Monitor.Shared.Auth;
using Clovers.Monitor.Shared.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Clovers.Monitor.Server.Tests.Logbook;

/// <summary>The logbook API on the whole Server: writing, attachments, filters, alarm comments, authorization and audit.</summary>
public sealed class LogbookApiTests(MonitorServerFactory factory) : IClassFixture<MonitorServerFactory>
{
    [Fact]
    public async Task Post_AsShifter_StoresTheEntryWithTheLoggedInAuthor()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);
        var tag = UniqueTag();

        var created = await PostAsync(client, new NewLogbookEntry("LN2 **refilled** by hand", [tag, "Cryo"], null));
        var read = await client.GetFromJsonAsync(LogbookRoutes.Entry(created.Id), ApiJsonContext.Default.LogbookEntry);

        Assert.Equal(MonitorServerFactory.TestUserName(MonitorRoles.Shifter), read!.Author);
        Assert.Equal([tag, "cryo"], read.Tags);
        Assert.Contains("<strong>refilled</strong>", read.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_AsViewer_IsForbidden()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Viewer);

        using var response = await client.PostAsJsonAsync(LogbookRoutes.Entries, new NewLogbookEntry("x", null, null), ApiJsonContext.Default.NewLogbookEntry);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_Anonymous_IsUnauthorized()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync(LogbookRoutes.Entries, new NewLogbookEntry("x", null, null), ApiJsonContext.Default.NewLogbookEntry);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_EmptyTextAndBadTag_ListsBothProblems()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);

        using var response = await client.PostAsJsonAsync(LogbookRoutes.Entries, new NewLogbookEntry(" ", ["no spaces allowed"], null), ApiJsonContext.Default.NewLogbookEntry);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"text\"", body, StringComparison.Ordinal);
        Assert.Contains("\"tags\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithSnapshot_KeepsTheHistoryAsItWasWhenWritten()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);
        var store = factory.Services.GetRequiredService<ITimeSeriesStore>();
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var channel = "cryo.temp.snapshot" + Guid.NewGuid().ToString("N")[..6];
        await store.WriteAsync(Series(channel, start, 60, TimeSpan.FromMinutes(1), 77.3), CancellationToken.None);

        var created = await PostAsync(client, new NewLogbookEntry("warm-up test", null, new LogbookSnapshotRequest([channel], start, start.AddHours(1))));
        // The same timestamps written again replace the raw values: the entry must not follow them.
        await store.WriteAsync(Series(channel, start, 60, TimeSpan.FromMinutes(1), 300), CancellationToken.None);
        var read = await client.GetFromJsonAsync(LogbookRoutes.Entry(created.Id), ApiJsonContext.Default.LogbookEntry);

        var snapshot = Assert.Single(read!.Snapshots);
        Assert.Equal(channel, snapshot.Channel);
        Assert.Equal(60, snapshot.Buckets.Sum(b => b.Count));
        Assert.All(snapshot.Buckets.Where(b => b.Count > 0), b => Assert.Equal(77.3, b.Mean!.Value, 6));
    }

    [Fact]
    public async Task Post_SnapshotOfAnUnknownChannel_IsNotFound()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);
        var now = DateTimeOffset.UtcNow;

        using var response = await client.PostAsJsonAsync(
            LogbookRoutes.Entries,
            new NewLogbookEntry("x", null, new LogbookSnapshotRequest(["cryo.nothing.here"], now.AddHours(-1), now)),
            ApiJsonContext.Default.NewLogbookEntry);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_IsWrittenToTheAuditLog()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);

        var created = await PostAsync(client, new NewLogbookEntry("audited", [UniqueTag()], null));

        var audit = await factory.Services.GetRequiredService<IAuditLog>().QueryAsync(
            new AuditQuery(null, null, MonitorServerFactory.TestUserName(MonitorRoles.Shifter), LogbookAudit.WriteAction, 0, 100), CancellationToken.None);
        Assert.Contains(audit.Entries, e => e.Target == "logbook/" + created.Id);
    }

    [Fact]
    public async Task Get_ByTagAndAuthor_ReturnsOnlyMatchingEntries()
    {
        using var shifter = await factory.CreateClientAsync(MonitorRoles.Shifter);
        using var expert = await factory.CreateClientAsync(MonitorRoles.Expert);
        var tag = UniqueTag();
        await PostAsync(shifter, new NewLogbookEntry("by the shifter", [tag], null));
        await PostAsync(expert, new NewLogbookEntry("by the expert", [tag], null));
        await PostAsync(expert, new NewLogbookEntry("other tag", [UniqueTag()], null));

        var page = await GetPageAsync(shifter, new LogbookFilter(Tag: tag, Author: MonitorServerFactory.TestUserName(MonitorRoles.Expert)));

        Assert.Equal(["by the expert"], page.Entries.Select(e => e.Markdown));
    }

    [Fact]
    public async Task Get_ByTime_ReturnsOnlyEntriesInTheRange()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);
        var tag = UniqueTag();
        await PostAsync(client, new NewLogbookEntry("now", [tag], null));

        var past = await GetPageAsync(client, new LogbookFilter(To: DateTimeOffset.UtcNow.AddHours(-1), Tag: tag));
        var recent = await GetPageAsync(client, new LogbookFilter(From: DateTimeOffset.UtcNow.AddHours(-1), Tag: tag));

        Assert.Empty(past.Entries);
        Assert.Single(recent.Entries);
    }

    [Fact]
    public async Task Get_Paged_SaysWhetherMoreFollow()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);
        var tag = UniqueTag();
        for (var i = 0; i < 3; i++)
        {
            await PostAsync(client, new NewLogbookEntry($"entry {i}", [tag], null));
        }

        var first = await GetPageAsync(client, new LogbookFilter(Tag: tag, Limit: 2));
        var second = await GetPageAsync(client, new LogbookFilter(Tag: tag, Offset: 2, Limit: 2));

        Assert.True(first.HasMore);
        Assert.Equal(["entry 2", "entry 1"], first.Entries.Select(e => e.Markdown));
        Assert.False(second.HasMore);
        Assert.Equal(["entry 0"], second.Entries.Select(e => e.Markdown));
    }

    [Fact]
    public async Task Get_AlarmAcknowledgementComment_IsMergedAndMarked()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Viewer);
        var user = "ack-user-" + Guid.NewGuid().ToString("N")[..6];
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await factory.Services.GetRequiredService<AlarmStore>().AppendAsync(
            [
                Transition("logbook.test", AlarmState.Normal, AlarmState.ActiveUnacknowledged, at, AlarmHistoryReader.SystemUser, null),
                Transition("logbook.test", AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged, at.AddMinutes(1), user, "LN2 <script>x</script> checked"),
            ],
            [],
            CancellationToken.None);

        var page = await GetPageAsync(client, new LogbookFilter(Author: user));

        var comment = Assert.Single(page.Entries);
        Assert.Equal(LogbookEntryKind.AlarmComment, comment.Kind);
        Assert.Contains(LogbookRoutes.AlarmTag, comment.Tags);
        Assert.Equal("logbook.test", comment.AlarmRuleId);
        Assert.Contains("Acknowledged", comment.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", comment.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_WithoutAlarms_LeavesAlarmCommentsOut()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Viewer);
        var user = "ack-user-" + Guid.NewGuid().ToString("N")[..6];
        await factory.Services.GetRequiredService<AlarmStore>().AppendAsync(
            [Transition("logbook.test2", AlarmState.ActiveUnacknowledged, AlarmState.ActiveAcknowledged, DateTimeOffset.UtcNow.AddMinutes(-1), user, "seen")],
            [],
            CancellationToken.None);

        var page = await GetPageAsync(client, new LogbookFilter(Author: user, IncludeAlarmComments: false));

        Assert.Empty(page.Entries);
    }

    [Fact]
    public async Task Preview_AsShifter_RendersSafely()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Shifter);

        using var response = await client.PostAsJsonAsync(LogbookRoutes.Preview, new LogbookPreviewRequest("*hi* <img src=x onerror=alert(1)>"), ApiJsonContext.Default.LogbookPreviewRequest);
        var preview = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.LogbookPreview);

        Assert.Contains("<em>hi</em>", preview!.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", preview.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownEntry_IsNotFound()
    {
        using var client = await factory.CreateClientAsync(MonitorRoles.Viewer);

        using var response = await client.GetAsync(LogbookRoutes.Entry(987654321));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static AlarmTransition Transition(string ruleId, AlarmState from, AlarmState to, DateTimeOffset at, string user, string? comment) =>
        new($"{ruleId}@1", ruleId, from, to, at, user, 1.0, comment) { RuleName = "Test " + ruleId, Severity = AlarmSeverity.Major };

    private static Reading[] Series(string channel, DateTimeOffset start, int count, TimeSpan step, double value) =>
        Enumerable.Range(0, count).Select(i => new Reading(channel, start + (i * step), value)).ToArray();

    private static string UniqueTag() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<LogbookEntry> PostAsync(HttpClient client, NewLogbookEntry entry)
    {
        using var response = await client.PostAsJsonAsync(LogbookRoutes.Entries, entry, ApiJsonContext.Default.NewLogbookEntry);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.LogbookEntry))!;
    }

    private static async Task<LogbookPage> GetPageAsync(HttpClient client, LogbookFilter filter) =>
        (await client.GetFromJsonAsync(LogbookRoutes.Query(filter), ApiJsonContext.Default.LogbookPage))!;
}
