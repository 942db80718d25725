using System.Net;
using System.Text;
using Clovers.Monitor.EndToEnd.Tests.Infrastructure;

namespace Clovers.Monitor.EndToEnd.Tests.Fixtures;

/// <summary>The browser fixture itself, against a page served here rather than by the product.</summary>
[Collection(DemoCollection.Name)]
public sealed class BrowserFixtureTests(BrowserFixture browser)
{
    private const string Page = """
        <!doctype html>
        <html>
          <head><title>fixture</title></head>
          <body>
            <button data-testid="press" onclick="document.querySelector('[data-testid=result]').textContent = 'pressed by script'">press</button>
            <p data-testid="result">not pressed</p>
          </body>
        </html>
        """;

    [Fact]
    public async Task NewPage_ClickOnLocalPage_RunsThePageScript()
    {
        using var site = new StaticSite(Page);
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(site.Address.ToString());
            await page.ClickAsync("[data-testid=press]");

            await page.WaitForSelectorAsync("[data-testid=result]:text-is('pressed by script')");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>One HTML page on a free loopback port, answered to every request.</summary>
    private sealed class StaticSite : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;
        private readonly byte[] _body;

        public StaticSite(string html)
        {
            _body = Encoding.UTF8.GetBytes(html);
            Address = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _serving = ServeAsync();
        }

        public Uri Address { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                _serving.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Stopping the listener ends the pending GetContextAsync with an exception.
            }
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

                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = _body.Length;
                await context.Response.OutputStream.WriteAsync(_body);
                context.Response.Close();
            }
        }
    }
}
