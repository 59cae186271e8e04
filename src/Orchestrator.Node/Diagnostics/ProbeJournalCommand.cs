using Akka.Actor;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Engine.Diagnostics;
using Orchestrator.Node.Hosting;

namespace Orchestrator.Node.Diagnostics;

/// <summary>Runs <c>probe-journal</c> on a ready node: a check of the journal's durability that prints each
/// acknowledgement (<c>ACK n</c>) as it arrives, so that a process killed mid-run shows what it was promised.</summary>
public static class ProbeJournalCommand
{
    /// <summary>Writes the events, then prints the recovered state as <c>STATE count=.. sum=.. max=.. last-seq=..</c>.</summary>
    public static async Task RunAsync(ActorSystem system, ProbeJournalOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var probe = system.ActorOf(JournalProbe.Props(options.PersistenceId), "journal-probe");
        var start = await probe.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var next = start.MaxNumber + 1;
        var last = start.MaxNumber + options.Events;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (options.Events > 0)
            system.ActorOf(Props.Create(() => new Driver(probe, next, last, options, output, done)), "journal-probe-driver");
        else
            done.SetResult();
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        var state = await probe.Ask<ProbeCommands.State>(new ProbeCommands.GetState(), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        output.WriteLine($"STATE count={state.Count} sum={state.Sum} max={state.MaxNumber} last-seq={state.LastSequenceNr}");
        output.Flush();
    }

    /// <summary>Keeps a few batches in flight and prints each acknowledgement.</summary>
    private sealed class Driver : ReceiveActor
    {
        private const int BatchesInFlight = 4;

        public Driver(IActorRef probe, long first, long last, ProbeJournalOptions options, TextWriter output, TaskCompletionSource done)
        {
            var next = first;
            void SendBatch()
            {
                if (next > last) return;
                var count = (int)Math.Min(options.Batch, last - next + 1);
                probe.Tell(new ProbeCommands.Write(next, count, options.Tagged));
                next += count;
            }

            for (var i = 0; i < BatchesInFlight; i++)
                SendBatch();
            Receive<ProbeCommands.Written>(w =>
            {
                output.WriteLine($"ACK {w.Number}");
                output.Flush();
                if (w.Number == last)
                    done.TrySetResult();
                else if ((w.Number - first + 1) % options.Batch == 0)
                    SendBatch();
            });
        }
    }
}
