using Orchestrator.Core.Sessions;

namespace Orchestrator.Core.Tests.Sessions;

public sealed class SessionFollowersSpec
{
    [Fact]
    public void Only_the_first_follower_of_a_session_and_the_last_to_leave_say_so()
    {
        var followers = new SessionFollowers();

        (followers, var first) = followers.Follow("s1");
        Assert.True(first);
        (followers, var second) = followers.Follow("s1");
        Assert.False(second);
        (followers, var other) = followers.Follow("s2");
        Assert.True(other);
        Assert.Equal(2, followers.CountOf("s1"));

        (followers, var left) = followers.Unfollow("s1");
        Assert.False(left);
        (followers, var last) = followers.Unfollow("s1");
        Assert.True(last);
        Assert.Equal(0, followers.CountOf("s1"));
        Assert.Equal(["s2"], followers.Sessions);
    }

    [Fact]
    public void Leaving_a_session_nobody_follows_changes_nothing()
    {
        var followers = new SessionFollowers();

        var (next, last) = followers.Unfollow("s1");

        Assert.False(last);
        Assert.Same(followers, next);
        Assert.True(next.Follow("s1").First);
    }
}
