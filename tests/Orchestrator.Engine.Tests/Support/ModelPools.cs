using Akka.Actor;
using Orchestrator.Engine.Models;

namespace Orchestrator.Engine.Tests.Support;

/// <summary>Stands in for the model manager where only liveness matters: one idle child <c>pool-&lt;model&gt;</c> per
/// running model, started and stopped on request.</summary>
internal sealed class ModelPools : ReceiveActor
{
    public sealed record Start(string Model);
    public sealed record Stop(string Model);

    public ModelPools()
    {
        Receive<Start>(s => Context.ActorOf(Props.Create(() => new Idle()), ModelLiveness.ModelActorName(s.Model)));
        Receive<Stop>(s => Context.Child(ModelLiveness.ModelActorName(s.Model)).Tell(PoisonPill.Instance));
    }

    private sealed class Idle : ReceiveActor;
}
