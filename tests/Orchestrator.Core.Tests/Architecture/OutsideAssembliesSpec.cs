using System.Text.RegularExpressions;
using Orchestrator.Messages;

namespace Orchestrator.Core.Tests.Architecture;

/// <summary>What another application references sees nothing of the node: the contracts (<c>Orchestrator.Messages</c>)
/// use the BCL only, and <c>Orchestrator.Client</c> and the sample reference no project but the contracts (and the
/// client), so neither Core nor the engine can reach an outside application's build.</summary>
public partial class OutsideAssembliesSpec
{
    private static readonly string Root = CoreLayeringSpec.RepositoryRoot;

    [Fact]
    public void The_contracts_reference_the_BCL_only()
    {
        var foreign = typeof(IClusterMessage).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n is not ("netstandard" or "System") && !n.StartsWith("System.", StringComparison.Ordinal))
            .ToList();

        Assert.True(foreign.Count == 0, $"Orchestrator.Messages references {string.Join(", ", foreign)}");
    }

    [Theory]
    [InlineData("src/Orchestrator.Messages/Orchestrator.Messages.csproj")]
    [InlineData("src/Orchestrator.Client/Orchestrator.Client.csproj", "Orchestrator.Messages")]
    [InlineData("samples/Orchestrator.Samples.ClusterMember/Orchestrator.Samples.ClusterMember.csproj", "Orchestrator.Client")]
    public void An_outside_project_references_only_the_contracts_and_the_client(string project, params string[] allowed)
    {
        var references = ProjectReference().Matches(File.ReadAllText(Path.Combine(Root, project)))
            .Select(m => Path.GetFileNameWithoutExtension(m.Groups[1].Value)).ToList();

        Assert.Equal(allowed, references);
    }

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReference();
}
