using System.Threading.Channels;
using Akka.Actor;
using static Orchestrator.Core.Models.ModelMessages;

namespace Orchestrator.Llama.Chat;

/// <summary>A short-lived actor that receives one request's replies and writes them to a channel for async code; it
/// stops at the final reply.</summary>
internal sealed class ReplyCollector : ReceiveActor
{
    public static Props Props(ChannelWriter<object> writer) => Akka.Actor.Props.Create(() => new ReplyCollector(writer));

    public ReplyCollector(ChannelWriter<object> writer)
    {
        ReceiveAny(message =>
        {
            writer.TryWrite(message);
            if (message is GenerateResult or GenerateFailed or Overloaded or Status.Failure)
            {
                writer.TryComplete();
                Context.Stop(Self);
            }
        });
    }
}
