using Orchestrator.Llama.Pool;

namespace Orchestrator.Llama.Tests;

public sealed class StopStringMatcherSpec
{
    [Fact]
    public void Text_that_may_begin_a_stop_string_is_held_back_until_it_cannot()
    {
        var m = new StopStringMatcher(["END"]);
        Assert.Equal(("abc", false), m.Feed("abcE"));
        Assert.Equal(("", false), m.Feed("N"));
        Assert.Equal(("ENx", false), m.Feed("x"));
    }

    [Fact]
    public void A_stop_string_split_over_pieces_stops_and_is_dropped()
    {
        var m = new StopStringMatcher(["</answer>", "\n\n"]);
        Assert.Equal(("hello ", false), m.Feed("hello </"));
        Assert.Equal(("", true), m.Feed("answer> and more"));
    }

    [Fact]
    public void The_earliest_stop_string_wins_and_flush_releases_held_text()
    {
        var m = new StopStringMatcher(["b", "a"]);
        Assert.Equal(("x", true), m.Feed("xab"));
        var n = new StopStringMatcher(["xyz"]);
        Assert.Equal(("ab", false), n.Feed("abxy"));
        Assert.Equal("xy", n.Flush());
    }

    [Fact]
    public void Without_stop_strings_everything_passes() =>
        Assert.Equal(("anything", false), new StopStringMatcher(null).Feed("anything"));
}
