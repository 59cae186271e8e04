using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Orchestrator.Core.Contracts;
using Orchestrator.Core.Messaging;
using Orchestrator.Core.Models;
using Orchestrator.Core.Validation;
using Orchestrator.Messages;
using static Orchestrator.Core.Councils.CouncilDirectoryCommands;
using static Orchestrator.Core.Councils.CouncilDirectoryEvents;
using static Orchestrator.Core.Councils.CouncilDirectoryReplies;

namespace Orchestrator.Core.Councils;

/// <summary>The councils by role, as a pure fold over the directory's events, and its decisions: a command in, the
/// events to persist and the reply out. A refused command persists nothing.</summary>
public sealed partial record CouncilDirectoryState(ImmutableSortedDictionary<string, CouncilDefinition> Councils)
{
    /// <summary>No council.</summary>
    public static CouncilDirectoryState Empty { get; } = new(ImmutableSortedDictionary<string, CouncilDefinition>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The state after <paramref name="e"/>.</summary>
    public CouncilDirectoryState Apply(IPersistedEvent e) => e switch
    {
        CouncilDefined d => this with { Councils = Councils.SetItem(d.Council.Role, d.Council) },
        CouncilRemoved r => this with { Councils = Councils.Remove(r.Role) },
        _ => this,
    };

    /// <summary>The most councils the directory holds: with a council's own bounds (<see cref="CouncilSpec.MaxMembers"/>,
    /// <see cref="CouncilSpec.MaxTextLength"/>), this bounds what it costs its node and its snapshots.</summary>
    public const int MaxCouncils = 1000;

    /// <summary>The characters a council counts for against a <see cref="ReplyPageSize"/>: its text, and a fixed
    /// allowance for field names and figures.</summary>
    public static long CharsOf(CouncilDefinition c) =>
        256 + c.Role.Length + (c.Council.Rubric?.Length ?? 0) + (c.Council.SelectorRole?.Length ?? 0)
        + c.Council.Members.Sum(m => 64L + m.Name.Length + m.Role.Length + (m.Model?.Length ?? 0));

    /// <summary>The state a snapshot holds.</summary>
    public static CouncilDirectoryState From(CouncilDirectorySnapshot snapshot) =>
        new(snapshot.Councils.ToImmutableSortedDictionary(c => c.Role, c => c, StringComparer.Ordinal));

    /// <summary>This state as a snapshot.</summary>
    public CouncilDirectorySnapshot ToSnapshot() => new(Councils.Values.ToList());

    /// <summary>Decides <paramref name="command"/>; with <paramref name="serving"/> (the models of the cluster and the
    /// registered agents, as the directory's node sees them now), a new council's agents must be servable there, as a
    /// session's start holds its own (<c>SessionServingCheck</c>). It is held to them again when it runs.</summary>
    public CommandResult Decide(IClusterMessage command, ServingModels? serving, DateTimeOffset now, ReplyPageSize? page = null)
    {
        switch (command)
        {
            case CreateCouncil c:
                {
                    var problems = new List<string>();
                    if (!RoleName().IsMatch(c.Role ?? ""))
                        problems.Add($"role '{InputEcho.Of(c.Role)}' must be 1 to 64 letters, digits, '_' or '-'");
                    if (c.Council is null || c.Council.IsReference)
                        problems.Add("a council in the directory lists its members");
                    else
                    {
                        problems.AddRange(c.Council.Problems());
                        if (serving is { HoldsSessions: true })
                            problems.AddRange(serving.Problems(c.Council.Agents().Where(a => !string.IsNullOrWhiteSpace(a.Role)).Select(a => (a.Role, a.Model))));
                    }
                    if (problems.Count == 0 && Councils.ContainsKey(c.Role!))
                        problems.Add($"role '{c.Role}' has a council already: delete it first");
                    else if (problems.Count == 0 && Councils.Count >= MaxCouncils)
                        problems.Add($"the directory holds {Councils.Count} councils, its most: delete one first");
                    if (problems.Count > 0) return CommandResult.ReplyOnly(new CouncilRejected(c.Role ?? "", problems));
                    var definition = new CouncilDefinition(c.Role!, c.Council! with { Role = c.Role }, now);
                    return CommandResult.Persist(new CouncilDefined(definition), new CouncilCreated(definition));
                }
            case DeleteCouncil d:
                return Councils.ContainsKey(d.Role)
                    ? CommandResult.Persist(new CouncilRemoved(d.Role, now), new CouncilDeleted(d.Role))
                    : CommandResult.ReplyOnly(new CouncilNotFound(d.Role));
            case GetCouncil g:
                return CommandResult.ReplyOnly(Councils.TryGetValue(g.Role, out var found) ? new CouncilFound(found) : new CouncilNotFound(g.Role));
            case ListCouncils l:
                {
                    var councils = l.After is { } after ? Councils.Values.Where(c => string.CompareOrdinal(c.Role, after) > 0) : Councils.Values;
                    var (taken, more) = (page ?? ReplyPageSize.Unlimited).Take(councils, CharsOf);
                    return CommandResult.ReplyOnly(new CouncilList(taken, more ? taken[^1].Role : null));
                }
            default:
                throw new ArgumentException($"{command.GetType().Name} is not a council directory command", nameof(command));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex RoleName();
}
