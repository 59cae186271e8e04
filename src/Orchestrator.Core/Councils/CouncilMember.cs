namespace Orchestrator.Core.Councils;

/// <summary>One agent of a council or a group chat: a <see cref="Name"/> unique among its peers, the agent
/// <see cref="Role"/> it speaks for, and the model serving it (null: the model of its role).</summary>
public sealed record CouncilMember(string Name, string Role, string? Model = null);
