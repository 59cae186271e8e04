namespace Orchestrator.Engine.Workflows;

/// <summary>What a template's text may cost before any parser sees it: its size in UTF-8 bytes, how deep its objects and
/// lists nest, and how long reading it may take (the scan, Akka's parser and the field checks together).</summary>
/// <param name="MaxBytes">The largest template, in UTF-8 bytes (<c>orchestrator.sessions.max-template-size</c>).</param>
/// <param name="MaxDepth">The deepest nesting of <c>{</c> and <c>[</c>; Akka's parser recurses once per level.</param>
/// <param name="Deadline">How long reading one template may take.</param>
public sealed record TemplateTextLimits(long MaxBytes, int MaxDepth, TimeSpan Deadline)
{
    /// <summary>256 KiB, 64 levels, 5 s: far beyond any real template, far below what hurts a node.</summary>
    public static TemplateTextLimits Default { get; } = new(256 * 1024, 64, TimeSpan.FromSeconds(5));
}
