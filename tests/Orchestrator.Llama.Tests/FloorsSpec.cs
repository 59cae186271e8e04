using System.Text.RegularExpressions;
using Orchestrator.Llama.Files;

namespace Orchestrator.Llama.Tests;

/// <summary>The folders of Orchestrator.Llama are floors: a folder uses those below it, never those above.</summary>
public sealed class FloorsSpec
{
    private static readonly string[] Floors = ["Files", "Gguf", "Grammar", "Native", "Processes", "Probe", "Pool", "Chat", "Endpoints"];

    [Fact]
    public void Lower_folders_never_name_higher_ones()
    {
        var project = Path.Combine(RepositoryPaths.FindRepositoryRoot()!, "src", "Orchestrator.Llama");
        Assert.Equal(Floors.Order(), Directory.GetDirectories(project).Select(Path.GetFileName)
            .Where(d => d is not ("bin" or "obj")).Order());
        var breaches = new List<string>();
        for (var floor = 0; floor < Floors.Length; floor++)
            foreach (var file in Directory.GetFiles(Path.Combine(project, Floors[floor]), "*.cs"))
                foreach (Match m in Regex.Matches(File.ReadAllText(file), @"Orchestrator\.Llama\.(\w+)"))
                    if (Array.IndexOf(Floors, m.Groups[1].Value) > floor)
                        breaches.Add($"{Floors[floor]}/{Path.GetFileName(file)} names {m.Value}");
        Assert.Empty(breaches);
    }
}
