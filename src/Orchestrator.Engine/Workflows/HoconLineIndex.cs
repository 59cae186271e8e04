namespace Orchestrator.Engine.Workflows;

/// <summary>The line where each key path of a HOCON text is first written (<c>workflow.nodes.structure</c> → 12).
/// Akka's HOCON parser keeps no positions, so <see cref="HoconPreScan"/> fills this tree of keys from the same text.
/// Looking a path up costs its length: the tree holds one node per key segment, never a whole path per key.</summary>
internal sealed class HoconLineIndex
{
    /// <summary>The text's root object.</summary>
    internal Node Root { get; } = new(1);

    /// <summary>The 1-based line of <paramref name="path"/>, or of its nearest parent that was found, or 1.</summary>
    internal int LineOf(string path)
    {
        var node = Root;
        var line = 1;
        foreach (var segment in path.Split('.'))
        {
            if (node.Find(segment) is not { } child) break;
            node = child;
            line = child.Line;
        }
        return line;
    }

    /// <summary>One key of an object: the line it was first written on, whether a value was set to it (as opposed to
    /// it only leading to a dotted key's last segment), and its own keys.</summary>
    internal sealed class Node(int line)
    {
        private Dictionary<string, Node>? _children;

        /// <summary>The line where the key was first written.</summary>
        internal int Line { get; } = line;

        /// <summary>Whether <c>key = value</c> or <c>key { ... }</c> was written for this very key.</summary>
        internal bool Assigned { get; set; }

        /// <summary>The key <paramref name="segment"/> of this object, created at <paramref name="line"/> when new.</summary>
        internal Node Child(string segment, int line)
        {
            _children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!_children.TryGetValue(segment, out var child)) _children[segment] = child = new Node(line);
            return child;
        }

        internal Node? Find(string segment) => _children?.GetValueOrDefault(segment);
    }
}
