using System.Text.RegularExpressions;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Ids;

/// <summary>The rule for the name of an agent or of a council member: 1 to 64 letters, digits, '_', '.' or '-',
/// starting with a letter or digit, so that it is safe in a URL path segment and a log line.</summary>
public static partial class AgentName
{
    /// <summary>Null when <paramref name="name"/> follows the rule, otherwise why not; <paramref name="what"/> says what
    /// the name is of (<c>agent name</c>, <c>member name</c>).</summary>
    public static string? Problem(string? name, string what = "agent name") =>
        name is not null && Pattern().IsMatch(name)
            ? null
            : $"{what} '{InputEcho.Of(name)}' must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex Pattern();
}
