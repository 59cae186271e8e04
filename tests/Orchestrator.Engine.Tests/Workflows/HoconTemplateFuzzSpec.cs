using Orchestrator.Core.Validation;
using Orchestrator.Core.Workflows;
using Orchestrator.Engine.Workflows;

namespace Orchestrator.Engine.Tests.Workflows;

public class HoconTemplateFuzzSpec
{
    [Fact]
    public async Task Damaged_templates_give_problems_in_bounded_time_never_exceptions()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Orchestrator.sln"))) root = root.Parent!;
        var text = File.ReadAllText(Path.Combine(root.FullName, "config", "workflows", "manuscript-review.conf"));
        var random = new Random(11);
        const string noise = "{}[]\"=:,$\n#";
        for (var round = 0; round < 1000; round++)
        {
            var chars = text.ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                if (random.Next(2) == 0) chars.RemoveAt(at);
                else chars.Insert(at, noise[random.Next(noise.Length)]);
            }
            var damaged = new string(chars.ToArray());
            var problems = new List<TemplateProblem>();
            var parse = Task.Run(() => HoconTemplateLoader.Parse(damaged, "fuzz.conf", problems));
            var finished = await Task.WhenAny(parse, Task.Delay(TimeSpan.FromSeconds(10))) == parse;
            Assert.True(finished, $"round {round} did not finish:\n{damaged}");
            await parse; // rethrows an exception the loader let through
            Assert.False(problems.Any(p => p.Message.Contains("did not finish")), $"round {round} did not finish:\n{damaged}");
        }
    }
}
