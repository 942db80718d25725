using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Tests.Logbook;

/// <summary>Plays the logbook and handover endpoints: records every request with its body and answers from settable state.</summary>
internal sealed class LogbookServerStub : HttpMessageHandler
{
    public ConcurrentQueue<(HttpMethod Method, Uri Uri, string? Body)> Requests { get; } = new();

    /// <summary>Answers GET /api/logbook; by default one empty page.</summary>
    public Func<Uri, LogbookPage> Page { get; set; } = _ => new LogbookPage([], 0, 50, false);

    /// <summary>Status of POST /api/logbook: 201 by default.</summary>
    public HttpStatusCode PostStatus { get; set; } = HttpStatusCode.Created;

    public Func<Uri, HandoverReport>? Report { get; set; }

    public IEnumerable<Uri> Gets(string path) => Requests.Where(r => r.Method == HttpMethod.Get && r.Uri.AbsolutePath == path).Select(r => r.Uri);

    public IEnumerable<string?> Posts(string path) => Requests.Where(r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath == path).Select(r => r.Body);

    public static LogbookEntry Entry(long id, string markdown, string html, LogbookEntryKind kind = LogbookEntryKind.Entry, IReadOnlyList<LogbookChannelSnapshot>? snapshots = null) =>
        new(id, kind, new DateTimeOffset(2026, 11, 26, 20, 0, 0, TimeSpan.Zero).AddMinutes(-id), "alice", ["cryo"], markdown, html, snapshots ?? []);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var uri = request.RequestUri!;
        Requests.Enqueue((request.Method, uri, body));
        return (request.Method.Method, uri.AbsolutePath) switch
        {
            ("GET", LogbookRoutes.Entries) => Json(Page(uri), ApiJsonContext.Default.LogbookPage),
            ("POST", LogbookRoutes.Entries) when PostStatus == HttpStatusCode.Created =>
                Json(Entry(99, "new", "<p>new</p>"), ApiJsonContext.Default.LogbookEntry, HttpStatusCode.Created),
            ("POST", LogbookRoutes.Entries) => new HttpResponseMessage(PostStatus),
            ("POST", LogbookRoutes.Preview) => Json(new LogbookPreview("<p><strong>preview</strong></p>"), ApiJsonContext.Default.LogbookPreview),
            ("GET", HandoverRoutes.Report) when Report is not null => Json(Report(uri), ApiJsonContext.Default.HandoverReport),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    }

    private static HttpResponseMessage Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json") };
}
