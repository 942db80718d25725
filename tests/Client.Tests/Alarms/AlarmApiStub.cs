using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Clovers.Monitor.Shared.Alarms;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Tests.Alarms;

/// <summary>Plays the server's alarm API: records each request with its body, answers history and actions.</summary>
public sealed class AlarmApiStub : HttpMessageHandler
{
    public sealed record Request(HttpMethod Method, string PathAndQuery, string? Body);

    public ConcurrentQueue<Request> Requests { get; } = new();

    public IReadOnlyList<AlarmHistoryEntry> History { get; set; } = [];

    /// <summary>When set, history requests are refused with this problem instead.</summary>
    public string? HistoryRefusal { get; set; }

    /// <summary>The answer to every POST; 204 unless a test wants a refusal.</summary>
    public Func<HttpResponseMessage> ActionResponse { get; set; } = static () => new HttpResponseMessage(HttpStatusCode.NoContent);

    public IEnumerable<Request> Posts => Requests.Where(static r => r.Method == HttpMethod.Post);

    public static HttpResponseMessage Problem(HttpStatusCode status, string detail) => new(status)
    {
        Content = new StringContent(
            JsonSerializer.Serialize(new Dictionary<string, object> { ["title"] = "Conflict", ["status"] = (int)status, ["detail"] = detail }),
            Encoding.UTF8,
            "application/problem+json"),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new Request(request.Method, request.RequestUri!.PathAndQuery, body));
        if (request.Method == HttpMethod.Post)
        {
            return ActionResponse();
        }

        if (request.RequestUri.AbsolutePath == AlarmRoutes.History)
        {
            if (HistoryRefusal is { } refusal)
            {
                return Problem(HttpStatusCode.BadRequest, refusal);
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(JsonSerializer.Serialize(History, ApiJsonContext.Default.IReadOnlyListAlarmHistoryEntry), Encoding.UTF8, "application/json"),
            };
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }
}
