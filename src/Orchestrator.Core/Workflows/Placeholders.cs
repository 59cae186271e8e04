using System.Text.RegularExpressions;

namespace Orchestrator.Core.Workflows;

/// <summary>The placeholders of prompts: <c>{NAME}</c> for a variable, <c>{output.&lt;node-id&gt;}</c> for a
/// dependency's output, and the run-time names a worker fills in (<see cref="RunTime"/>). JSON such as
/// <c>{"score": 1}</c> is never a placeholder.</summary>
internal static partial class Placeholders
{
    internal const string OutputPrefix = "output.";
    internal const string TaskId = "TASK_ID";
    internal const string SessionId = "SESSION_ID";
    internal const string Iteration = "ITERATION";
    internal const string Critique = "CRITIQUE";
    internal const string Lessons = "LESSONS";
    internal const string TaskTitle = "TASK_TITLE";
    internal const string TaskDescription = "TASK_DESCRIPTION";
    internal const string TaskScope = "TASK_SCOPE";
    internal const string Inputs = "INPUTS";

    /// <summary>Names filled in when a task runs, not when the template is resolved.</summary>
    internal static readonly IReadOnlySet<string> RunTime =
        new HashSet<string>(StringComparer.Ordinal) { TaskId, SessionId, Iteration, Critique, Lessons, TaskTitle, TaskDescription, TaskScope, Inputs };

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)?)\}")]
    internal static partial Regex Pattern();

    /// <summary>Replaces each placeholder <paramref name="lookup"/> knows; leaves the others as written.</summary>
    internal static string Substitute(string text, Func<string, string?> lookup) =>
        Pattern().Replace(text, m => lookup(m.Groups["name"].Value) ?? m.Value);

    /// <summary>The names of every placeholder in <paramref name="text"/>, in order.</summary>
    internal static IEnumerable<string> Names(string text) =>
        Pattern().Matches(text).Select(m => m.Groups["name"].Value);
}
