using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Ids;

/// <summary>A task's id within its session: letters, digits, '_' or '-', starting with a letter or digit, so that it
/// is safe in a request id, an actor name and a URL. A template node's id is at most <see cref="NodeMaxLength"/> long,
/// an id a planner proposes at most <see cref="ProposedMaxLength"/>, and a task a planner's proposal expands a
/// prototype into is <c>&lt;prototype&gt;-&lt;proposed&gt;</c> (<see cref="Instance"/>), so no task id is longer than
/// <see cref="MaxLength"/>. Made only by <see cref="Parse"/> or <see cref="TryParse"/>, it is valid by construction; in
/// JSON it is its text (<see cref="TextIdJsonConverter{TId}"/>).</summary>
[JsonConverter(typeof(TextIdJsonConverter<TaskId>))]
public readonly partial record struct TaskId : IComparable<TaskId>, ITextId<TaskId>
{
    /// <inheritdoc />
    static string ITextId<TaskId>.Kind => "task id";

    /// <summary>The longest id a template's node may have.</summary>
    public const int NodeMaxLength = 64;

    /// <summary>The longest id a planner may propose.</summary>
    public const int ProposedMaxLength = 48;

    /// <summary>The longest id a session's task may have: a prototype's instance.</summary>
    public const int MaxLength = NodeMaxLength + 1 + ProposedMaxLength;

    private TaskId(string value) => Value = value;

    /// <summary>The id as text.</summary>
    public string Value { get; }

    /// <summary>Whether <paramref name="text"/> is a valid task id.</summary>
    public static bool IsValid([NotNullWhen(true)] string? text) => Fits(text, MaxLength);

    /// <summary>Whether <paramref name="text"/> is a valid id for a template's node.</summary>
    public static bool IsNodeId([NotNullWhen(true)] string? text) => Fits(text, NodeMaxLength);

    /// <summary>Whether <paramref name="text"/> is a valid id for a planner to propose.</summary>
    public static bool IsProposedId([NotNullWhen(true)] string? text) => Fits(text, ProposedMaxLength);

    /// <summary>The id of the task that a planner's proposed <paramref name="proposed"/> expands
    /// <paramref name="prototype"/> into.</summary>
    public static string Instance(string prototype, string proposed) => $"{prototype}-{proposed}";

    /// <summary>Null when <paramref name="text"/> is a valid task id, otherwise why it is not.</summary>
    public static string? Problem(string? text) =>
        IsValid(text)
            ? null
            : $"task id '{InputEcho.Of(text)}' must be 1 to {MaxLength} letters, digits, '_' or '-', starting with a letter or digit";

    /// <summary>The id <paramref name="text"/> is, when it is valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TaskId id)
    {
        id = IsValid(text) ? new TaskId(text) : default;
        return id.Value is not null;
    }

    /// <summary>The id <paramref name="text"/> is; an <see cref="ArgumentException"/> when it is not valid.</summary>
    public static TaskId Parse(string? text) =>
        TryParse(text, out var id) ? id : throw new ArgumentException(Problem(text), nameof(text));

    /// <summary>Orders ids by their text, ordinally.</summary>
    public int CompareTo(TaskId other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    private static bool Fits(string? text, int maxLength) => text is { Length: > 0 } && text.Length <= maxLength && Pattern().IsMatch(text);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex Pattern();
}
