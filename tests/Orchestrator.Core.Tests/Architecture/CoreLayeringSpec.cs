using System.Text.RegularExpressions;

namespace Orchestrator.Core.Tests.Architecture;

/// <summary>Core's namespaces are floors: a namespace may use the ones below it, never one that uses it back (checked
/// on the source, comments left out), and no product assembly lets another see its internals: what crosses a project
/// boundary is public by design.</summary>
public partial class CoreLayeringSpec
{
    private static readonly string Root = FindRoot();

    /// <summary>The folder of <c>Orchestrator.sln</c>.</summary>
    internal static string RepositoryRoot => Root;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Orchestrator.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>For each namespace of Core (the part after <c>Orchestrator.Core.</c>), the namespaces it uses and, for
    /// each, one file that does.</summary>
    internal static Dictionary<string, Dictionary<string, string>> NamespaceGraph(string sourceDirectory)
    {
        var files = Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Path: f, Text: Comments().Replace(File.ReadAllText(f), "")))
            .Select(f => (f.Path, f.Text, Namespace: DeclaredNamespace().Match(f.Text)))
            .Where(f => f.Namespace.Success)
            .ToList();
        var namespaces = files.Select(f => f.Namespace.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var sibling = new Regex($@"(?<![\w.])({string.Join("|", namespaces)})\.[A-Z]\w*");
        var graph = namespaces.ToDictionary(n => n, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (path, text, declared) in files)
        {
            var from = declared.Groups[1].Value;
            var used = QualifiedCore().Matches(text).Select(m => m.Groups[1].Value)
                .Concat(sibling.Matches(text).Select(m => m.Groups[1].Value));
            foreach (var to in used.Where(u => u != from && namespaces.Contains(u)))
                graph[from].TryAdd(to, Path.GetRelativePath(sourceDirectory, path));
        }
        return graph;
    }

    /// <summary>A cycle as a path of namespaces (first = last), each step with a file that makes it; null when none.</summary>
    internal static IReadOnlyList<string>? FindCycle(Dictionary<string, Dictionary<string, string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the stack, 2 done
        var stack = new List<string>();
        List<string>? found = null;

        bool Visit(string n)
        {
            state[n] = 1;
            stack.Add(n);
            foreach (var next in graph[n].Keys.Order(StringComparer.Ordinal))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(next)).Append(next).ToList();
                    found = cycle.Zip(cycle.Skip(1), (a, b) => $"{a} -> {b} ({graph[a][b]})").ToList();
                    return true;
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next)) return true;
            }
            stack.RemoveAt(stack.Count - 1);
            state[n] = 2;
            return false;
        }

        foreach (var n in graph.Keys.Order(StringComparer.Ordinal))
            if (state.GetValueOrDefault(n) == 0 && Visit(n)) return found;
        return null;
    }

    [Fact]
    public void Core_namespaces_form_no_cycle()
    {
        var cycle = FindCycle(NamespaceGraph(Path.Combine(Root, "src", "Orchestrator.Core")));

        Assert.True(cycle is null, "a cycle between Core namespaces: " + string.Join("; ", cycle ?? []));
    }

    [Fact]
    public void The_cycle_check_finds_a_cycle_and_names_the_files()
    {
        var dir = Directory.CreateTempSubdirectory("layering");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "A.cs"), "using Orchestrator.Core.Beta;\nnamespace Orchestrator.Core.Alpha;\nclass A { Beta.B b; }");
            File.WriteAllText(Path.Combine(dir.FullName, "B.cs"), "namespace Orchestrator.Core.Beta;\n// Alpha.A in a comment does not count\nclass B { Alpha.A a; }");
            File.WriteAllText(Path.Combine(dir.FullName, "C.cs"), "namespace Orchestrator.Core.Gamma;\n/// <see cref=\"Alpha.A\"/>\nclass C { }");

            var graph = NamespaceGraph(dir.FullName);

            Assert.Empty(graph["Gamma"]);
            Assert.Equal(["Alpha -> Beta (A.cs)", "Beta -> Alpha (B.cs)"], FindCycle(graph));
            graph["Beta"].Clear();
            Assert.Null(FindCycle(graph));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void No_product_assembly_sees_another_ones_internals()
    {
        var grants = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .SelectMany(p => VisibleTo().Matches(File.ReadAllText(p)).Select(m => $"{Path.GetFileNameWithoutExtension(p)} -> {m.Groups[1].Value}"))
            .Where(g => !g.EndsWith(".Tests", StringComparison.Ordinal) && !g.EndsWith("Orchestrator.Benchmarks", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(grants);
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^\s*namespace\s+Orchestrator\.Core\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex DeclaredNamespace();

    [GeneratedRegex(@"Orchestrator\.Core\.(\w+)")]
    private static partial Regex QualifiedCore();

    [GeneratedRegex(@"<InternalsVisibleTo\s+Include=""([^""]+)""")]
    private static partial Regex VisibleTo();
}
