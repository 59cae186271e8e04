using Akka.Actor;

namespace Orchestrator.Engine.Models;

/// <summary>Whether a model is served: its actor <c>pool-&lt;model&gt;</c> under the model manager answers an
/// <c>Identify</c> (the answer's message id is the model's name, its subject null when the model is not served).</summary>
public static class ModelLiveness
{
    /// <summary>The name of the actor serving <paramref name="model"/> under the model manager.</summary>
    public static string ModelActorName(string model) => $"pool-{Uri.EscapeDataString(model)}";

    /// <summary>Asks each of <paramref name="models"/> whether it is alive; the answers come to the asking actor as
    /// <see cref="ActorIdentity"/>.</summary>
    public static void Probe(IActorContext context, IActorRef manager, IEnumerable<string> models)
    {
        foreach (var model in models)
            context.ActorSelection(manager.Path / ModelActorName(model)).Tell(new Identify(model), context.Self);
    }

    /// <summary>The model an identity answers for, and whether it is alive; false for any other identity.</summary>
    public static bool Read(ActorIdentity identity, out string model, out bool alive)
    {
        model = identity.MessageId as string ?? "";
        alive = identity.Subject is not null;
        return identity.MessageId is string;
    }
}
