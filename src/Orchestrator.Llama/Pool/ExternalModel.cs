using Akka.Actor;

namespace Orchestrator.Llama.Pool;

/// <summary>A model a <see cref="ModelManager"/> serves through an actor of its own rather than a llama.cpp pool (an
/// endpoint elsewhere): its name, the props of the actor that speaks the pool's protocol for it, where it is (shown
/// as its path) and how many requests it runs at once.</summary>
public sealed record ExternalModel(string Name, Props Props, string Address, int Capacity);
