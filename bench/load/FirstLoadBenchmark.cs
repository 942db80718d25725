using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clovers.Monitor.Load;

/// <summary>
/// Bytes over the wire for a first visit of the dashboard until it is interactive: Debian's
/// Chromium is driven through its DevTools protocol and every response's encoded length is
/// summed (what actually crossed the network, compressed).
/// </summary>
public static class FirstLoadBenchmark
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<int> RunAsync(RepositoryLayout repository, LoadArguments arguments)
    {
        if (!File.Exists(Chromium))
        {
            Console.WriteLine("first-load: skipped, /usr/bin/chromium is not installed (apt-get install chromium)");
            return 0;
        }

        // What a browser downloads depends on the published output (trimmed, precompressed), not on a dev build.
        var published = Directory.CreateTempSubdirectory("clovers-publish-").FullName;
        try
        {
            await PublishAsync(repository, published);
            return await MeasurePublishedAsync(published);
        }
        finally
        {
            TryDelete(published);
        }
    }

    private static async Task PublishAsync(RepositoryLayout repository, string output)
    {
        using var publish = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", repository.ServerProject, "-c", "Release", "-o", output, "--nologo", "-v", "quiet" },
            RedirectStandardOutput = true,
        })!;
        var log = await publish.StandardOutput.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed:{Environment.NewLine}{log}");
        }
    }

    private static async Task<int> MeasurePublishedAsync(string published)
    {
        await using var server = ServerProcess.StartPublished(published, demo: true);
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var profile = Directory.CreateTempSubdirectory("clovers-chromium-").FullName;
        using var browser = Process.Start(new ProcessStartInfo(Chromium)
        {
            ArgumentList =
            {
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            var (bytes, requests, elapsed) = await MeasureAsync(profile, $"http://127.0.0.1:{server.HttpPort}/");
            Console.WriteLine($"first-load: {bytes / 1024.0 / 1024.0:F2} MiB over the wire in {requests} responses until the dashboard was interactive ({elapsed.TotalSeconds:F1} s)");
            return 0;
        }
        finally
        {
            browser.Kill(entireProcessTree: true);
            await browser.WaitForExitAsync();
            TryDelete(profile);
        }
    }

    private static async Task<(long Bytes, int Requests, TimeSpan Elapsed)> MeasureAsync(string profile, string url)
    {
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var wait = Stopwatch.StartNew();
        while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
        {
            if (wait.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("Chromium did not open its DevTools port");
            }

            await Task.Delay(50);
        }

        var port = (await File.ReadAllLinesAsync(portFile))[0];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var targets = JsonNode.Parse(await http.GetStringAsync("/json/list"))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
        var session = new DevToolsSession(socket);
        await session.SendAsync("Network.enable");
        await session.SendAsync("Network.setCacheDisabled", new JsonObject { ["cacheDisabled"] = true });
        var clock = Stopwatch.StartNew();
        await session.SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var ready = await session.EvaluateAsync("!!document.querySelector('[data-testid=app-ready]')");
            if (ready)
            {
                break;
            }

            await Task.Delay(100);
        }

        var elapsed = clock.Elapsed;

        // Late responses (chart library, first hub negotiation) belong to the first load too.
        await Task.Delay(2000);
        var measured = (session.EncodedBytes, session.Responses, elapsed);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await session.Receiving;
        return measured;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A minimal DevTools protocol client: numbered commands, and a tally of finished responses.</summary>
    private sealed class DevToolsSession
    {
        private readonly ClientWebSocket _socket;
        private readonly Dictionary<int, TaskCompletionSource<JsonNode?>> _pending = [];
        private readonly Lock _gate = new();
        private int _nextId;
        private long _encodedBytes;
        private int _responses;

        public DevToolsSession(ClientWebSocket socket)
        {
            _socket = socket;
            Receiving = Task.Run(ReceiveLoopAsync);
        }

        /// <summary>The receive loop; it ends when the socket closes.</summary>
        public Task Receiving { get; }

        public long EncodedBytes => Interlocked.Read(ref _encodedBytes);

        public int Responses => Volatile.Read(ref _responses);

        public async Task<JsonNode?> SendAsync(string method, JsonObject? parameters = null)
        {
            var id = Interlocked.Increment(ref _nextId);
            var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _pending[id] = reply;
            }

            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
            return await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public async Task<bool> EvaluateAsync(string expression)
        {
            var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
            return result?["result"]?["value"]?.GetValue<bool>() == true;
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[1 << 20];
            using var message = new MemoryStream();
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult part;
                try
                {
                    part = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                    return;
                }

                if (part.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray());
                message.SetLength(0);
                if (node?["id"] is { } idNode)
                {
                    TaskCompletionSource<JsonNode?>? reply;
                    lock (_gate)
                    {
                        _pending.Remove(idNode.GetValue<int>(), out reply);
                    }

                    reply?.TrySetResult(node["result"]);
                }
                else if ((string?)node?["method"] == "Network.loadingFinished")
                {
                    Interlocked.Add(ref _encodedBytes, (long)node!["params"]!["encodedDataLength"]!.GetValue<double>());
                    Interlocked.Increment(ref _responses);
                }
            }
        }
    }
}
