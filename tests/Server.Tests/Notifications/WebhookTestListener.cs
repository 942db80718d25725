using System.Net;
using System.Text.Json;
using System.Threading.Channels;

namespace Clovers.Monitor.Server.Tests.Notifications;

/// <summary>An HTTP endpoint on 127.0.0.1 that answers 200 to every POST and keeps the bodies.</summary>
internal sealed class WebhookTestListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<JsonDocument> _received = Channel.CreateBounded<JsonDocument>(100);
    private readonly Task _running;

    public WebhookTestListener(int port)
    {
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _running = ServeAsync();
    }

    public string Url { get; }

    public async Task<JsonDocument> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _running;
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            await _received.Writer.WriteAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
