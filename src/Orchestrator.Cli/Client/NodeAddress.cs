using System.Text.RegularExpressions;

namespace Orchestrator.Cli.Client;

/// <summary>The node <c>orch</c> talks to: <c>host:port</c>, 127.0.0.1:9110 by default (or <c>ORCH_ADDRESS</c>).</summary>
public sealed partial record NodeAddress(string Host, int Port)
{
    /// <summary>The default node.</summary>
    public static NodeAddress Default { get; } = new("127.0.0.1", 9110);

    /// <summary>True when <paramref name="text"/> looks like <c>host:port</c> rather than a command.</summary>
    public static bool TryParse(string text, out NodeAddress address)
    {
        var match = HostPort().Match(text);
        if (match.Success && int.TryParse(match.Groups["port"].Value, out var port) && port is > 0 and <= 65535)
        {
            address = new NodeAddress(match.Groups["host"].Value, port);
            return true;
        }
        address = Default;
        return false;
    }

    /// <summary>The API's base address.</summary>
    public Uri BaseUri => new($"http://{Host}:{Port}");

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port}";

    [GeneratedRegex(@"^(?<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?<port>\d{1,5})$")]
    private static partial Regex HostPort();
}
