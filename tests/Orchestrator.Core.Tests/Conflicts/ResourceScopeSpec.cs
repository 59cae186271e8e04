using Orchestrator.Core.Conflicts;

namespace Orchestrator.Core.Tests.Conflicts;

public class ResourceScopeSpec
{
    [Theory]
    [InlineData("file:src/a.cs", "file:src/a.cs", true)]
    [InlineData("file:src/a.cs", "file:src/b.cs", false)]
    [InlineData("file:src/", "file:src/deep/a.cs", true)]
    [InlineData("file:src/", "file:srcx/a.cs", false)]
    [InlineData("file:src/", "file:src/sub/", true)]
    [InlineData("file:./src//a.cs", "file:src/a.cs", true)]
    [InlineData("file:src\\a.cs", "file:src/a.cs", true)]
    [InlineData("file:src/*.cs", "file:src/a.cs", true)]
    [InlineData("file:src/*.cs", "file:src/sub/a.cs", false)]
    [InlineData("file:src/**/*.cs", "file:src/sub/deep/a.cs", true)]
    [InlineData("file:src/**/*.cs", "file:src/a.cs", true)]
    [InlineData("file:src/**/*.cs", "file:src/a.md", false)]
    [InlineData("file:src/a?.cs", "file:src/ab.cs", true)]
    [InlineData("file:src/**", "file:docs/", false)]
    [InlineData("file:src/**", "file:src/x/", true)]
    [InlineData("file:docs/", "file:src/**", false)]
    [InlineData("file:src/*.cs", "file:src/*.md", true)] // conservative: two globs under one base may overlap
    [InlineData("file:src/*.cs", "file:docs/*.md", false)]
    [InlineData("key:orders", "key:orders", true)]
    [InlineData("key:orders", "key:order", false)]
    [InlineData("key:orders/*", "key:orders/42", true)]
    [InlineData("key:orders/*", "key:users/1", false)]
    [InlineData("key:a*", "key:ab*", true)]
    [InlineData("key:src/a.cs", "file:src/a.cs", false)]
    public void Overlap_follows_paths_directories_globs_and_keys(string a, string b, bool overlap)
    {
        var x = ResourceScope.Parse(a);
        var y = ResourceScope.Parse(b);
        Assert.Equal(overlap, x.Overlaps(y));
        Assert.Equal(overlap, y.Overlaps(x));
    }

    [Theory]
    [InlineData("src/a.cs", "kind:value")]
    [InlineData("file:", "kind:value")]
    [InlineData(":x", "kind:value")]
    [InlineData("File Name:x", "kind")]
    [InlineData("file:../secrets", "'..'")]
    public void A_malformed_scope_is_refused_with_the_reason(string text, string expected)
    {
        Assert.Null(ResourceScope.TryParse(text, out var problem));
        Assert.Contains(expected, problem);
        Assert.Throws<FormatException>(() => ResourceScope.Parse(text));
    }

    [Fact]
    public void A_lenient_scope_that_is_not_kind_value_matches_only_itself()
    {
        Assert.True(ResourceScope.Lenient("plain").Overlaps(ResourceScope.Lenient("plain")));
        Assert.False(ResourceScope.Lenient("plain").Overlaps(ResourceScope.Lenient("other")));
        Assert.False(ResourceScope.Lenient("plain").Overlaps(ResourceScope.Parse("key:plain")));
    }
}
