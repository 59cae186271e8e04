namespace Orchestrator.Cli;

/// <summary>What <c>orch</c>'s exit code means, for scripts.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;
    /// <summary>The node refused or failed the command (its problem is printed).</summary>
    public const int Failed = 1;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;
    /// <summary>The node could not be reached.</summary>
    public const int Unreachable = 3;
    /// <summary>Ctrl-C stopped the command (128 + SIGINT, as a shell reports it).</summary>
    public const int Interrupted = 130;
}
