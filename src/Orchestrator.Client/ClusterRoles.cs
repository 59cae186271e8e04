namespace Orchestrator.Client;

/// <summary>The cluster roles that say what a member is for.</summary>
public static class ClusterRoles
{
    /// <summary>Every Orchestrator node carries it: the <c>session</c> shards, the sharding coordinator, the cluster
    /// singletons and the split-brain resolver's majority are limited to members with it.</summary>
    public const string Node = "orchestrator";

    /// <summary>The role of another application's ActorSystem that joins the cluster only to reach sessions (the sample
    /// uses it); it hosts nothing of Orchestrator's.</summary>
    public const string Client = "client";
}
