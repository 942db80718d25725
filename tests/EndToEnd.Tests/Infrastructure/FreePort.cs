using System.Net;
using System.Net.Sockets;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

public static class FreePort
{
    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>
    /// A loopback TCP port the OS has just handed out, nobody is listening on, and this process has
    /// not handed out before: the OS may offer a released port again before the process it was
    /// meant for (a Server's HTTP and MQTT ports, chosen one after the other) has bound it.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (s_handedOut)
            {
                if (s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>Waits until something accepts connections on the loopback port.</summary>
    public static async Task<bool> WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool> givesUp)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !givesUp())
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }
}
