using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Clovers.Monitor.Client.Tests.Auth;

/// <summary>Answers every request with <see cref="Respond"/> and records it with its body and headers.</summary>
public sealed class FuncHandler : HttpMessageHandler
{
    public sealed record Seen(HttpMethod Method, string Path, string? Body, IReadOnlyDictionary<string, string> Headers);

    public ConcurrentQueue<Seen> Requests { get; } = new();

    public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; set; } = static _ => new HttpResponseMessage(HttpStatusCode.NotFound);

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new Seen(request.Method, request.RequestUri!.AbsolutePath, body, headers));
        return Respond(request);
    }
}
