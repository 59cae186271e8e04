using System.Text.Json;

namespace Orchestrator.Testing;

/// <summary>The HOCON of a node that serves one generated tiny model, <c>tiny</c>, for the given roles (llama.cpp from
/// the LLamaSharp.Backend.Cpu package) and the shipped workflow templates.</summary>
public static class TinyModelNode
{
    /// <summary>The roles of the shipped manuscript-review template.</summary>
    public static readonly string[] ManuscriptReviewRoles =
        ["structure-analyst", "character-analyst", "pacing-analyst", "style-analyst", "continuity-checker", "editor", "reviewer"];

    /// <summary>Model <c>tiny</c> at <paramref name="modelPath"/>, templates path and the role mapping.</summary>
    public static string Config(string modelPath, IEnumerable<string> roles, int sequences = 4) => $$"""
        orchestrator.llm.models.tiny { path = {{Quote(modelPath)}}, context-size = 16384, sequences = {{sequences}}, threads = 1 }
        orchestrator.sessions.templates-path = {{Quote(Path.Combine(RepositoryRoot.Path, "config", "workflows"))}}
        orchestrator.sessions.models-by-role { {{string.Join(", ", roles.Select(r => $"{r} = tiny"))}} }
        """;

    /// <summary>A HOCON string: JSON's quoting is valid HOCON.</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text);
}
