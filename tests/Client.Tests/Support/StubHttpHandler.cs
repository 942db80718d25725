using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Clovers.Monitor.Shared.Api;

namespace Clovers.Monitor.Client.Tests.Support;

/// <summary>
/// Plays the server's history endpoint: answers every history request with buckets across the
/// asked range, and records what was asked.
/// </summary>
public sealed class StubHttpHandler : HttpMessageHandler
{
    public ConcurrentQueue<Uri> Requests { get; } = new();

    /// <summary>Answers instead of the stub when it returns a response.</summary>
    public Func<Uri, HttpResponseMessage?>? Override { get; set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        Requests.Enqueue(uri);
        if (Override?.Invoke(uri) is { } custom)
        {
            return Task.FromResult(custom);
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["api", "channels", var channel, "history"])
        {
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            var from = DateTimeOffset.Parse(query["from"]!, System.Globalization.CultureInfo.InvariantCulture);
            var to = DateTimeOffset.Parse(query["to"]!, System.Globalization.CultureInfo.InvariantCulture);
            var history = History(Uri.UnescapeDataString(channel), from, to, 10);
            var json = JsonSerializer.Serialize(history, ApiJsonContext.Default.ChannelHistory);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            });
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
    }

    public static ChannelHistory History(string channel, DateTimeOffset from, DateTimeOffset to, int buckets)
    {
        var width = (to - from) / buckets;
        var list = Enumerable.Range(0, buckets)
            .Select(i => new HistoryBucket(from + width * i, 1 + i, 3 + i, 2 + i, 2 + i, 5))
            .ToList();
        return new ChannelHistory(channel, "K", from, to, width.TotalSeconds, list);
    }
}
