using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Core.Ids;

/// <summary>An id that is a text checked by a rule (<see cref="SessionId"/>, <see cref="TaskId"/>): what
/// <see cref="TextIdJsonConverter{TId}"/> needs to write and read any of them.</summary>
internal interface ITextId<TSelf> where TSelf : struct, ITextId<TSelf>
{
    /// <summary>What the id is, as a message names it (<c>session id</c>).</summary>
    static abstract string Kind { get; }

    /// <summary>The id as text; null for a default id, which was never parsed.</summary>
    string Value { get; }

    /// <summary>The id <paramref name="text"/> is, when it follows the rule.</summary>
    static abstract bool TryParse([NotNullWhen(true)] string? text, out TSelf id);

    /// <summary>Null when <paramref name="text"/> follows the rule, otherwise why it does not.</summary>
    static abstract string? Problem(string? text);
}
