namespace Orchestrator.Core.Lessons;

/// <summary>An inverted index ranking documents (lessons, by number) with Okapi BM25 (<c>k1 = 1.2</c>, <c>b = 0.75</c>,
/// IDF <c>ln(1 + (N − df + 0.5) / (df + 0.5))</c>). A document is its text's terms plus its kind's term; a query is a
/// task kind (weighed <see cref="KindBoost"/>) and its prompt's distinct terms. A search walks only the postings of the
/// query's terms into a reused accumulator and keeps the best k in a small heap: O(postings of the query terms + touched
/// × log k), independent of how many documents match nothing. Removal marks a document dead; the postings are compacted
/// once a quarter of the documents are dead (until then document frequencies still count them). Not thread-safe.</summary>
public sealed class LessonIndex
{
    internal const double K1 = 1.2;
    internal const double B = 0.75;
    internal const double KindBoost = 2.0;

    private readonly Dictionary<string, Postings> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _docByKey = [];
    private long[] _keys = new long[1024];
    private int[] _lengths = new int[1024];
    private bool[] _live = new bool[1024];
    private double[] _scores = new double[1024];
    private double[] _norms = new double[1024];
    private double _normsAverage = double.NaN;
    private readonly List<int> _touched = [];
    private int _docs;
    private int _liveCount;
    private long _liveLength;

    /// <summary>Documents in the index (not counting removed ones).</summary>
    internal int Count => _liveCount;

    /// <summary>Indexes <paramref name="text"/> of kind <paramref name="kind"/> under <paramref name="key"/> (a key
    /// indexed again replaces its document).</summary>
    public void Add(long key, string kind, string text)
    {
        Remove(key);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        LessonTokenizer.Tokens(text, t =>
        {
            counts[t] = counts.GetValueOrDefault(t) + 1;
            length++;
        });
        counts[LessonTokenizer.KindTerm(kind)] = 1;
        length++;
        var doc = _docs++;
        Grow(_docs);
        _keys[doc] = key;
        _lengths[doc] = length;
        _live[doc] = true;
        _liveCount++;
        _liveLength += length;
        _docByKey[key] = doc;
        _normsAverage = double.NaN;
        foreach (var (term, tf) in counts)
        {
            if (!_postings.TryGetValue(term, out var list)) _postings[term] = list = new Postings();
            list.Add(doc, tf);
        }
    }

    /// <summary>Removes the document under <paramref name="key"/>, if any.</summary>
    public bool Remove(long key)
    {
        if (!_docByKey.Remove(key, out var doc)) return false;
        _live[doc] = false;
        _liveCount--;
        _liveLength -= _lengths[doc];
        if (_docs - _liveCount > Math.Max(1024, _docs / 4)) Compact();
        return true;
    }

    /// <summary>The <paramref name="k"/> best documents for a task of <paramref name="kind"/> described by
    /// <paramref name="text"/>: (key, score), best first; on equal scores the newer key first. Only documents sharing a
    /// term with the query are scored.</summary>
    public List<(long Key, double Score)> Search(string kind, string text, int k)
    {
        var result = new List<(long, double)>();
        if (k <= 0 || _liveCount == 0) return result;
        var averageLength = (double)_liveLength / _liveCount;
        if (averageLength != _normsAverage)
        {
            // The length normalization of every document changes with the average length: computed once per change.
            for (var doc = 0; doc < _docs; doc++) _norms[doc] = Norm(_lengths[doc], averageLength);
            _normsAverage = averageLength;
        }
        foreach (var (term, weight) in QueryTerms(kind, text))
        {
            if (!_postings.TryGetValue(term, out var list)) continue;
            var factor = Factor(weight, Idf(list.Count));
            var docs = list.Docs;
            var frequencies = list.Frequencies;
            for (var i = 0; i < list.Count; i++)
            {
                var doc = docs[i];
                if (!_live[doc]) continue;
                if (_scores[doc] == 0) _touched.Add(doc);
                _scores[doc] += Term(factor, frequencies[i], _norms[doc]);
            }
        }
        var heap = new PriorityQueue<int, (double Score, long Key)>(k + 1);
        foreach (var doc in _touched)
        {
            var entry = (_scores[doc], _keys[doc]);
            _scores[doc] = 0;
            if (heap.Count < k) heap.Enqueue(doc, entry);
            else if (heap.TryPeek(out _, out var worst) && Better(entry, worst)) heap.DequeueEnqueue(doc, entry);
        }
        _touched.Clear();
        while (heap.TryDequeue(out var doc, out var entry)) result.Add((entry.Key, entry.Score));
        result.Reverse();
        return result;
    }

    /// <summary>The naive ranking, for comparison and as the reference: every document scored from its own term counts
    /// with the same statistics (document frequencies and lengths taken as given, as an unindexed store would keep
    /// them), then sorted. The same answer as <see cref="Search"/>, at O(documents × query terms).</summary>
    internal static List<(long Key, double Score)> LinearScan(
        IReadOnlyList<(long Key, Dictionary<string, int> Terms, int Length)> documents,
        IReadOnlyDictionary<string, int> documentFrequency, string kind, string text, int k)
    {
        var n = documents.Count;
        if (n == 0 || k <= 0) return [];
        var averageLength = documents.Sum(d => (double)d.Length) / n;
        var query = QueryTerms(kind, text);
        var scored = new List<(long Key, double Score)>();
        foreach (var (key, terms, length) in documents)
        {
            var score = 0.0;
            var matched = false;
            foreach (var (term, weight) in query)
            {
                if (!terms.TryGetValue(term, out var tf)) continue;
                matched = true;
                score += Term(Factor(weight, Idf(documentFrequency[term], n)), tf, Norm(length, averageLength));
            }
            if (matched) scored.Add((key, score));
        }
        return scored.OrderByDescending(s => s.Score).ThenByDescending(s => s.Key).Take(k).ToList();
    }

    /// <summary>A document's term counts and length as this index counts them (for <see cref="LinearScan"/>).</summary>
    internal static (Dictionary<string, int> Terms, int Length) Terms(string kind, string text)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        LessonTokenizer.Tokens(text, t =>
        {
            counts[t] = counts.GetValueOrDefault(t) + 1;
            length++;
        });
        counts[LessonTokenizer.KindTerm(kind)] = 1;
        return (counts, length + 1);
    }

    private static List<(string Term, double Weight)> QueryTerms(string kind, string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var terms = new List<(string, double)> { (LessonTokenizer.KindTerm(kind), KindBoost) };
        seen.Add(terms[0].Item1);
        LessonTokenizer.Tokens(text, t =>
        {
            if (seen.Add(t)) terms.Add((t, 1.0));
        });
        return terms;
    }

    private double Idf(int df) => Idf(df, _docs);

    private static double Idf(int df, int n) => Math.Log(1 + (n - df + 0.5) / (df + 0.5));

    /// <summary>A query term's weight times its IDF times <c>k1 + 1</c>: the part of BM25 shared by its postings.</summary>
    private static double Factor(double weight, double idf) => weight * idf * (K1 + 1);

    /// <summary>A document's length normalization <c>k1 × (1 − b + b × length / average)</c>.</summary>
    private static double Norm(int length, double averageLength) => K1 * (1 - B + B * length / averageLength);

    private static double Term(double factor, int tf, double norm) => factor * tf / (tf + norm);

    private static bool Better((double Score, long Key) a, (double Score, long Key) b) =>
        a.Score > b.Score || a.Score == b.Score && a.Key > b.Key;

    private void Grow(int docs)
    {
        if (docs <= _keys.Length) return;
        var size = Math.Max(docs, _keys.Length * 2);
        Array.Resize(ref _keys, size);
        Array.Resize(ref _lengths, size);
        Array.Resize(ref _live, size);
        Array.Resize(ref _scores, size);
        Array.Resize(ref _norms, size);
    }

    /// <summary>Drops dead documents: renumbers the live ones and rebuilds every postings list.</summary>
    private void Compact()
    {
        var map = new int[_docs];
        var next = 0;
        for (var doc = 0; doc < _docs; doc++)
        {
            if (!_live[doc])
            {
                map[doc] = -1;
                continue;
            }
            map[doc] = next;
            _keys[next] = _keys[doc];
            _lengths[next] = _lengths[doc];
            _live[next] = true;
            _docByKey[_keys[next]] = next;
            next++;
        }
        Array.Clear(_live, next, _docs - next);
        _docs = next;
        _normsAverage = double.NaN;
        foreach (var term in _postings.Keys.ToList())
        {
            var list = _postings[term];
            list.Remap(map);
            if (list.Count == 0) _postings.Remove(term);
        }
    }

    /// <summary>The documents holding one term, in document order, with the term's count in each.</summary>
    private sealed class Postings
    {
        internal int[] Docs = new int[2];
        internal int[] Frequencies = new int[2];
        internal int Count;

        public void Add(int doc, int tf)
        {
            if (Count == Docs.Length)
            {
                Array.Resize(ref Docs, Count * 2);
                Array.Resize(ref Frequencies, Count * 2);
            }
            Docs[Count] = doc;
            Frequencies[Count] = tf;
            Count++;
        }

        internal void Remap(int[] map)
        {
            var kept = 0;
            for (var i = 0; i < Count; i++)
            {
                var to = map[Docs[i]];
                if (to < 0) continue;
                Docs[kept] = to;
                Frequencies[kept] = Frequencies[i];
                kept++;
            }
            Count = kept;
        }
    }
}
