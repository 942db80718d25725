using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Clovers.Monitor.Shared.Live;

namespace Clovers.Monitor.Load;

/// <summary>
/// A browser that receives every push but parses none: a raw WebSocket speaking just enough of
/// the SignalR JSON protocol (handshake, Subscribe, pings) and counting bytes. The Server does
/// exactly the same work for it as for a real client, while the load driver, on the same cores,
/// does not spend them deserialising what fifty clients receive.
/// </summary>
public sealed class SilentBrowser : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private Task _pinging = Task.CompletedTask;
    private long _bytes;

    public long BytesReceived => Interlocked.Read(ref _bytes);

    public static async Task<SilentBrowser> ConnectAsync(int httpPort)
    {
        var browser = new SilentBrowser();
        await browser._socket.ConnectAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{httpPort}{MonitorHubContract.Path}")), CancellationToken.None);
        await browser.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        await browser.SendAsync("{\"type\":1,\"invocationId\":\"1\",\"target\":\"" + MonitorHubContract.Subscribe + "\",\"arguments\":[null]}");
        browser._receiving = browser.ReceiveAsync(browser._stop.Token);
        browser._pinging = browser.PingAsync(browser._stop.Token);
        return browser;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_receiving, _pinging);
        _socket.Dispose();
        _stop.Dispose();
    }

    private Task SendAsync(string message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, _stop.Token);

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Interlocked.Add(ref _bytes, result.Count);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }
    }

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await SendAsync("{\"type\":6}");
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }
    }
}
