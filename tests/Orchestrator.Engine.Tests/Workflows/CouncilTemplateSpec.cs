using Orchestrator.Core.Councils;
using Orchestrator.Core.GroupChat;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Workflows;

namespace Orchestrator.Engine.Tests.Workflows;

/// <summary>Council and group chat nodes in HOCON templates: the blocks read, their problems reported with file and
/// line (whether models serve their roles is asked when a session starts), and the shipped code-council template.</summary>
public class CouncilTemplateSpec
{
    private static string ShippedFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) return Path.Combine(dir.FullName, "config", "workflows");
        throw new InvalidOperationException("the repository root was not found");
    }

    private static TemplateLibrary Load(string nodes) => HoconTemplateLoader.Load(
        [("t.conf", $$"""
            workflow {
              name = t
              nodes {
            {{nodes}}
              }
            }
            """)]);

    [Fact]
    public void Code_council_has_a_DEV_council_a_QA_council_and_an_ARCHITECT_that_selects()
    {
        var library = HoconTemplateLoader.LoadDirectory(ShippedFolder());
        Assert.True(library.IsValid, string.Join("\n", library.Problems));

        var workflow = TemplateResolver.Resolve("code-council", library.Templates, new Dictionary<string, string> { ["SPEC"] = "max of two ints" }).Workflow!;

        var implement = workflow.Nodes.Single(n => n.Id == "implement");
        Assert.Equal(["DEV", "DEV"], implement.Council!.Members.Select(m => m.Role));
        Assert.Equal(2, implement.Council.Rounds);
        Assert.Equal(CouncilSelectorKind.Agent, implement.Council.Selector);
        Assert.Equal("ARCHITECT", implement.Council.SelectorRole);
        Assert.Contains("{SPEC}", implement.Prompt); // the input is stored once and given to the prompt when it runs
        var review = workflow.Nodes.Single(n => n.Id == "qa-review");
        Assert.Equal(["QA", "QA"], review.Council!.Members.Select(m => m.Role));
        Assert.Equal(["implement"], review.DependsOn);
        var select = workflow.Nodes.Single(n => n.Id == "select");
        Assert.Equal("ARCHITECT", select.AgentRole);
        Assert.Null(select.Council);
    }

    [Fact]
    public void Members_read_as_objects_or_as_role_names_numbered_when_repeated()
    {
        var library = Load("""
                a {
                  role = DEV
                  prompt = "p"
                  council {
                    members = [DEV, DEV, { name = boss, role = ARCHITECT, model = tiny }]
                    rounds = 3
                    consensus = same-answer
                    selector = agent
                    selector-role = ARCHITECT
                    rubric = "correct"
                    member-timeout = 30s
                  }
                }
            """);

        Assert.True(library.IsValid, string.Join("\n", library.Problems));
        var council = library.Templates["t"].Nodes[0].Council!;
        Assert.Equal(["DEV-1", "DEV-2", "boss"], council.Members.Select(m => m.Name));
        Assert.Equal("tiny", council.Members[2].Model);
        Assert.Equal((3, CouncilConsensus.SameAnswer, CouncilSelectorKind.Agent, "correct", TimeSpan.FromSeconds(30)),
            (council.Rounds, council.Consensus, council.Selector, council.Rubric, council.MemberTimeout));
    }

    [Fact]
    public void A_node_may_name_the_directory_council_of_a_role()
    {
        var library = Load("""
                a { role = QA, prompt = "p", council = QA }
                b { role = QA, prompt = "p", council { role = DEV } }
            """);

        Assert.True(library.IsValid, string.Join("\n", library.Problems));
        Assert.True(library.Templates["t"].Nodes[0].Council!.IsReference);
        Assert.Equal("DEV", library.Templates["t"].Nodes[1].Council!.Role);
    }

    [Fact]
    public void Every_problem_of_a_council_block_is_reported_with_its_line()
    {
        var library = Load("""
                a {
                  role = DEV
                  prompt = "p"
                  council {
                    members = [DEV]
                    selector = vote
                    quorum = 2
                  }
                }
            """);

        Assert.Contains(library.Problems, p => p.Code == "invalid-value" && p.Message.Contains("rubric, agent, not 'vote'") && p.Location!.Line == 9);
        Assert.Contains(library.Problems, p => p.Code == "unknown-key" && p.Message.Contains("'quorum'") && p.Location!.Line == 10);
        Assert.Contains(library.Problems, p => p.Code == "invalid-council" && p.Message.Contains("at least 2 members, not 1"));
    }

    [Fact]
    public void A_chat_block_reads_its_speakers_termination_and_context()
    {
        var library = Load("""
                a {
                  role = DEV
                  prompt = "p"
                  chat {
                    participants = [DEV, QA, ARCHITECT]
                    speaker = selector
                    selector-role = ARCHITECT
                    max-turns = 8
                    stop-phrase = "TERMINATE"
                    judge = ARCHITECT
                    context { max-chars = 4000, summarize-above = 2000, summarizer = editor, language = Polish }
                  }
                }
            """);

        Assert.True(library.IsValid, string.Join("\n", library.Problems));
        var chat = library.Templates["t"].Nodes[0].Chat!;
        Assert.Equal(["DEV", "QA", "ARCHITECT"], chat.Participants.Select(p => p.Name));
        Assert.Equal((SpeakerSelection.Selector, 8, "TERMINATE", "ARCHITECT"), (chat.Speaker, chat.MaxTurns, chat.StopPhrase, chat.JudgeRole));
        Assert.Equal(new Orchestrator.Core.Context.ContextSettings(4000, 2000, "editor", "Polish"), chat.Context);
    }
}
