using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>Finds a free TCP port on loopback.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago.</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
