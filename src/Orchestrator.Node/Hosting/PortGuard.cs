using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Node.Hosting;

/// <summary>Checks before start-up that the node's ports are free, so that a second node on the same port fails
/// with a message naming the port and the setting, not with a socket error deep inside Kestrel or Akka.Remote.</summary>
public static class PortGuard
{
    /// <summary>Throws <see cref="PortInUseException"/> when <paramref name="port"/> on <paramref name="host"/> is taken.</summary>
    public static void EnsureFree(string what, string host, int port, string setting)
    {
        if (port == 0)
            return;
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip : IPAddress.Any;
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new PortInUseException(
                $"{what} port {host}:{port} is already in use (another Orchestrator node, or another program, listens there). " +
                $"Stop it, or choose another port with {setting}.", e);
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>A port the node needs is taken.</summary>
public sealed class PortInUseException(string message, Exception inner) : Exception(message, inner);
