using Orchestrator.Core.Lessons;

namespace Orchestrator.Core.Tests.Lessons;

public class LessonIndexSpec
{
    [Fact]
    public void The_tokenizer_keeps_lower_cased_words_and_drops_stop_words_and_single_letters()
    {
        Assert.Equal(["json", "reply", "missing", "score", "field", "x2"], LessonTokenizer.Tokens("The JSON reply was missing a 'score' field; x2!"));
    }

    [Fact]
    public void A_rare_matching_term_ranks_above_a_common_one_and_unrelated_lessons_are_not_returned()
    {
        var index = new LessonIndex();
        index.Add(1, "summary", "reply missing json field");
        index.Add(2, "summary", "reply too long");
        index.Add(3, "summary", "reply used wrong language");
        index.Add(4, "summary", "weather forecast");

        var found = index.Search("other", "the json field of the reply", 10);

        Assert.Equal(1L, found[0].Key);
        Assert.Equal([2L, 3L], found.Skip(1).Select(f => f.Key).Order());
        Assert.DoesNotContain(4L, found.Select(f => f.Key));
    }

    [Fact]
    public void The_task_kind_lifts_lessons_of_the_same_kind()
    {
        var index = new LessonIndex();
        index.Add(1, "review", "citation format wrong");
        index.Add(2, "summary", "citation format wrong");
        Assert.Equal(1L, index.Search("review", "check the citation format", 1).Single().Key);
        Assert.Equal(2L, index.Search("summary", "check the citation format", 1).Single().Key);
    }

    [Fact]
    public void Removed_lessons_are_never_returned_even_after_compaction()
    {
        var index = new LessonIndex();
        for (var i = 0; i < 3000; i++) index.Add(i, "k", $"common word{i % 7} lesson{i}");
        for (var i = 0; i < 3000; i += 2) index.Remove(i); // compacts along the way
        Assert.Equal(1500, index.Count);
        var found = index.Search("k", "common word3 lesson11 lesson12", 5000);
        Assert.All(found, f => Assert.True(f.Key % 2 == 1));
        Assert.Equal(11L, found[0].Key);
        Assert.Equal(1500, found.Count);
    }

    [Fact]
    public void The_index_ranks_exactly_as_a_linear_scan()
    {
        var random = new Random(3);
        var vocabulary = Enumerable.Range(0, 300).Select(i => $"w{i}").ToArray();
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => vocabulary[(int)(Math.Pow(random.NextDouble(), 2) * vocabulary.Length)]));
        var index = new LessonIndex();
        var documents = new List<(long, Dictionary<string, int>, int)>();
        var df = new Dictionary<string, int>();
        string[] kinds = ["a", "b", "c"];
        for (var i = 0; i < 2000; i++)
        {
            var kind = kinds[random.Next(3)];
            var text = Words(random.Next(3, 30));
            index.Add(i, kind, text);
            var (terms, length) = LessonIndex.Terms(kind, text);
            documents.Add((i, terms, length));
            foreach (var t in terms.Keys) df[t] = df.GetValueOrDefault(t) + 1;
        }
        for (var q = 0; q < 50; q++)
        {
            var kind = kinds[random.Next(3)];
            var text = Words(random.Next(1, 40));
            var expected = LessonIndex.LinearScan(documents, df, kind, text, 5);
            var actual = index.Search(kind, text, 5);
            Assert.Equal(expected, actual);
        }
    }
}
