using System.Diagnostics;
using Orchestrator.Core.Lessons;

namespace Orchestrator.Benchmarks;

/// <summary>Lesson retrieval over 100,000 lessons (200 task kinds, 20–40 words each from a 20,000-word Zipf vocabulary):
/// milliseconds to find the best 3 for a task (its kind and a 60-word prompt) through the BM25 inverted index
/// (<see cref="LessonIndex"/>), beside the naive linear scan that scores every lesson from its own term counts with the
/// same statistics, in the same run. Goal: under 5 ms. The answers are checked against each other.</summary>
internal static class LessonRetrievalBenchmark
{
    public static Task RunAsync(BenchOptions options)
    {
        var count = options.Quick ? 20_000 : 100_000;
        var random = new Random(11);
        var words = new Zipf(20_000, random);
        var build = Stopwatch.StartNew();
        var index = new LessonIndex();
        var documents = new List<(long, Dictionary<string, int>, int)>(count);
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var kind = $"kind{random.Next(200)}";
            var text = words.Text(random.Next(20, 41));
            index.Add(i, kind, text);
            var (terms, length) = LessonIndex.Terms(kind, text);
            documents.Add((i, terms, length));
            foreach (var t in terms.Keys) df[t] = df.GetValueOrDefault(t) + 1;
        }
        build.Stop();
        Report.Note($"{count} lessons indexed in {build.Elapsed.TotalSeconds:0.0} s (with the baseline's term counts)");
        var queries = Enumerable.Range(0, 256).Select(_ => (Kind: $"kind{random.Next(200)}", Text: words.Text(60))).ToArray();

        var mismatches = queries.Take(20).Count(q =>
            !index.Search(q.Kind, q.Text, 3).SequenceEqual(LessonIndex.LinearScan(documents, df, q.Kind, q.Text, 3)));
        Report.Note($"indexed and linear top-3 differ on {mismatches} of 20 queries");
        for (var run = 1; run <= options.Runs; run++)
        {
            var indexed = Measure(queries, 2000, q => index.Search(q.Kind, q.Text, 3).Count);
            var linear = Measure(queries, 20, q => LessonIndex.LinearScan(documents, df, q.Kind, q.Text, 3).Count);
            Report.Line($"lesson retrieval, {count} lessons, top 3", indexed, "ms", ("linear scan", linear));
        }
        return Task.CompletedTask;
    }

    private static double Measure((string Kind, string Text)[] queries, int calls, Func<(string Kind, string Text), int> find)
    {
        var sink = 0;
        for (var i = 0; i < Math.Min(calls, 50); i++) sink += find(queries[i % queries.Length]);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) sink += find(queries[i % queries.Length]);
        watch.Stop();
        GC.KeepAlive(sink);
        return watch.Elapsed.TotalMilliseconds / calls;
    }

    /// <summary>Words drawn with Zipf frequencies (rank r with weight 1/r), as in natural text.</summary>
    private sealed class Zipf
    {
        private readonly double[] _cumulative;
        private readonly Random _random;

        public Zipf(int size, Random random)
        {
            _random = random;
            _cumulative = new double[size];
            var sum = 0.0;
            for (var r = 0; r < size; r++) _cumulative[r] = sum += 1.0 / (r + 1);
            for (var r = 0; r < size; r++) _cumulative[r] /= sum;
        }

        public string Text(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => Word()));

        private string Word()
        {
            var i = Array.BinarySearch(_cumulative, _random.NextDouble());
            return $"w{(i < 0 ? ~i : i)}";
        }
    }
}
