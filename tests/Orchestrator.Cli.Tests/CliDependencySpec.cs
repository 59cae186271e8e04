using System.Xml.Linq;
using Orchestrator.Cli.Client;
using Orchestrator.Testing;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orch</c> knows the node only through the API's contracts: neither its project nor its assembly references
/// the engine, so a change inside the node never reaches the CLI except through a contract.</summary>
public sealed class CliDependencySpec
{
    private static readonly string[] EngineAssemblies = ["Orchestrator.Core", "Orchestrator.Engine", "Orchestrator.Llama", "Orchestrator.Node"];

    [Fact]
    public void The_orch_assembly_references_the_contracts_and_no_engine_assembly()
    {
        var referenced = typeof(NodeClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Orchestrator.Api.Contracts", referenced);
        Assert.Empty(referenced.Intersect(EngineAssemblies));
    }

    [Fact]
    public void The_orch_project_references_only_the_contracts_project()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", "Orchestrator.Cli", "Orchestrator.Cli.csproj"));

        var references = project.Descendants("ProjectReference").Select(r => Path.GetFileName(r.Attribute("Include")!.Value)).ToList();

        Assert.Equal(["Orchestrator.Api.Contracts.csproj"], references);
    }
}
