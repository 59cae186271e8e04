namespace Orchestrator.Node.Hosting;

/// <summary>The node's command line: <c>[--config FILE] [probe-journal --id ID --events N [--batch B] [--tagged] | demo [--manuscript FILE] [--verbose] | probe-model PATH | model-host]</c>.
/// <c>probe-model</c> and <c>model-host</c> are the node's own children (a first load of a model file, a model pool's process).
/// <see cref="Verbose"/>: the demo's node logs on the console rather than in a file.</summary>
public sealed record NodeCommandLine(string? ConfigFile, ProbeJournalOptions? ProbeJournal, string? DemoManuscript = null, string? ProbeModel = null,
    bool ModelHost = false, bool Verbose = false)
{
    /// <summary>The file read when <c>--config</c> is not given, if it exists.</summary>
    public const string DefaultConfigFile = "hocon/node.conf";

    /// <summary>The manuscript the demo reviews unless told otherwise.</summary>
    public const string DefaultManuscript = "config/samples/manuscript.txt";

    /// <summary>Parses <paramref name="args"/>; unknown arguments are an <see cref="ArgumentException"/> naming them.</summary>
    public static NodeCommandLine Parse(IReadOnlyList<string> args)
    {
        string? config = null;
        ProbeJournalOptions? probe = null;
        string? demo = null;
        string? probeModel = null;
        var modelHost = false;
        var verbose = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config":
                    config = Value(args, ref i);
                    break;
                case "probe-journal":
                    probe = new ProbeJournalOptions("journal-probe", 0, 10, false);
                    break;
                case "--id" when probe is not null:
                    probe = probe with { PersistenceId = Value(args, ref i) };
                    break;
                case "--events" when probe is not null:
                    probe = probe with { Events = long.Parse(Value(args, ref i)) };
                    break;
                case "--batch" when probe is not null:
                    probe = probe with { Batch = int.Parse(Value(args, ref i)) };
                    break;
                case "probe-model":
                    probeModel = Value(args, ref i);
                    break;
                case "model-host":
                    modelHost = true;
                    break;
                case "demo":
                    demo = DefaultManuscript;
                    break;
                case "--manuscript" when demo is not null:
                    demo = Value(args, ref i);
                    break;
                case "--verbose" when demo is not null:
                    verbose = true;
                    break;
                case "--tagged" when probe is not null:
                    probe = probe with { Tagged = true };
                    break;
                default:
                    // ASP.NET-style overrides (--urls and the like) are not taken: the node's ports come from HOCON.
                    throw new ArgumentException(
                        $"Unknown argument '{args[i]}'. Usage: Orchestrator.Node [--config FILE] [demo [--manuscript FILE] [--verbose] | probe-journal --id ID --events N [--batch B] [--tagged] | probe-model PATH | model-host]");
            }
        }

        if (config is null && File.Exists(DefaultConfigFile))
            config = DefaultConfigFile;
        return new NodeCommandLine(config, probe, demo, probeModel, modelHost, verbose);
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"'{args[i - 1]}' needs a value.");
}

/// <summary>The journal check: write <see cref="Events"/> events to <see cref="PersistenceId"/> in atomic batches of
/// <see cref="Batch"/>, printing <c>ACK n</c> for each once it is durable, then <c>STATE ...</c> as recovered.</summary>
public sealed record ProbeJournalOptions(string PersistenceId, long Events, int Batch, bool Tagged);
