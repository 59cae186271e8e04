using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Workflows;
using Orchestrator.Messages.Sessions;

namespace Orchestrator.Engine.Tests.Workflows;

/// <summary>A template's <c>human { ... }</c> node: read into the node's human spec with its question as prompt, and
/// every problem (a schema outside the subset, a default value failing it, an agent's setting on the node) found at
/// load with its file and line.</summary>
public class HoconHumanNodeSpec
{
    [Fact]
    public void A_human_node_is_read_with_its_question_schema_timeout_and_default()
    {
        const string text = """
            workflow {
              variables { TOPIC = whales }
              nodes {
                draft { role = writer, prompt = "Write about {TOPIC}" }
                pages {
                  depends-on = [draft]
                  human {
                    ask = "How many pages for {TOPIC}? {output.draft}"
                    answer = value
                    schema = "{\"type\": \"integer\", \"minimum\": 1}"
                    timeout = 10m
                    on-timeout = "4"
                  }
                }
              }
            }
            """;

        var library = HoconTemplateLoader.Load([("pages.conf", text)]);

        Assert.True(library.IsValid, string.Join("\n", library.Problems));
        var workflow = TemplateResolver.Resolve("pages", library.Templates, new Dictionary<string, string>()).Workflow!;
        var node = workflow.Nodes.Single(n => n.Id == "pages");
        Assert.Equal("How many pages for whales? {output.draft}", node.Prompt);
        Assert.Equal(new HumanInputSpec(HumanAnswerKind.Value, """{"type": "integer", "minimum": 1}""", TimeSpan.FromMinutes(10), "4"), node.Human);
    }

    [Fact]
    public void Every_problem_of_a_human_node_is_found_at_load_with_its_line()
    {
        const string text = """
            workflow {
              nodes {
                a { role = writer, prompt = "go" }
                shape {
                  depends-on = [a]
                  human { ask = "size?", answer = value, schema = "{\"type\": \"string\", \"pattern\": \"x\"}" }
                }
                badDefault {
                  human { ask = "n?", answer = value, schema = "{\"type\": \"integer\"}", timeout = 1m, on-timeout = "\"many\"" }
                }
                agentish {
                  role = writer
                  retries = 2
                  human { ask = "ok?", on-timeout = approve }
                }
                both {
                  prompt = "p"
                  human { ask = "ok?", answer = maybe, colour = red }
                }
              }
            }
            """;

        var library = HoconTemplateLoader.Load([("human.conf", text)]);

        var problems = library.Problems.Select(p => $"{p.Location?.File}:{p.Location?.Line}: {p.Code}: {p.Message}").ToList();
        void Has(int line, string code, string words) =>
            Assert.Contains(problems, p => p.StartsWith($"human.conf:{line}: {code}:", StringComparison.Ordinal) && p.Contains(words));
        Has(4, "invalid-human", "node 'shape': human: schema: #/pattern: 'pattern' is not supported");
        Has(8, "invalid-human", "node 'badDefault': human: on-timeout's default value does not meet the schema: $ must be integer, not a string");
        Has(11, "invalid-human", "node 'agentish': human: 'role' is an agent's setting");
        Has(11, "invalid-human", "node 'agentish': human: 'retries' is an agent's setting");
        Has(11, "invalid-human", "node 'agentish': human: on-timeout needs a timeout");
        Has(17, "invalid-human", "a human node's question is human.ask, not prompt");
        Has(18, "invalid-value", "answer must be approve or value, not 'maybe'");
        Has(18, "unknown-key", "'colour' is not a key of workflow.nodes.both.human");
    }
}
