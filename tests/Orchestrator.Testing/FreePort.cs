using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>Finds a free TCP port on loopback for a test's server (a node's API or remoting, a PostgreSQL).</summary>
public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999), where the kernel picks the local port of every outgoing connection
    // (and of a listener on port 0): a port from there can be taken by some connection between the check and the
    // server's bind (it happened in CI). Each test process starts at a random point and hands ports out in turn.
    private const int First = 20_000;
    private const int Count = 12_000;
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A port that was free a moment ago, not handed out before by this process (until the range wraps).</summary>
    public static int Next()
    {
        for (var tried = 0; tried < Count; tried++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port))
                return port;
        }
        throw new InvalidOperationException($"No free loopback port in {First}-{First + Count - 1}.");
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
