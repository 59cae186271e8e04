using System.Diagnostics;

using Orchestrator.Llama.Processes;

namespace Orchestrator.Llama.Pool;

/// <summary>A running model host: the node's own <c>model-host</c> verb as a child process, given its
/// <see cref="ModelHostStart"/> on standard input (kept open: the host ends when it closes). It reports the host's
/// model actor path once it listens, each line the host logs, and its end, with the last line it logged (llama.cpp's
/// reason when it aborted). Disposing it stops the host, and kills it if it does not stop in time.</summary>
public sealed class ModelHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private string _lastLine = "";
    private int _disposed;
    private Task? _stopped;

    private ModelHostProcess(Process process) => _process = process;

    /// <summary>The host's process id.</summary>
    public int ProcessId { get; private set; }

    /// <summary>Whether the host was told to stop (<see cref="Stop"/>).</summary>
    public bool Stopping => Volatile.Read(ref _disposed) == 1;

    /// <summary>Starts a host of <paramref name="start"/> with <paramref name="command"/>. <paramref name="ready"/> gets the
    /// path of the host's model actor, <paramref name="logged"/> every other line it writes, and <paramref name="exited"/>
    /// how it ended, in words, with its last log line; each is called on a thread of the process's streams.</summary>
    public static ModelHostProcess Start(NodeChildCommand command, ModelHostStart start, Action<string> ready, Action<string> logged,
        Action<string> exited)
    {
        var process = new Process { StartInfo = command.StartInfo(true), EnableRaisingEvents = true };
        var host = new ModelHostProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith(ModelHostStart.ReadyPrefix, StringComparison.Ordinal)) ready(e.Data[ModelHostStart.ReadyPrefix.Length..].Trim());
            else host.Logged(e.Data, logged);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) host.Logged(e.Data, logged);
        };
        process.Exited += (_, _) =>
        {
            if (Volatile.Read(ref host._disposed) == 1) return; // killed by its owner, who knows why
            process.WaitForExit(); // the streams are drained: the last line is the last one written
            string last;
            lock (host._gate) last = host._lastLine;
            exited($"the model host (pid {host.ProcessId}) {NodeChildCommand.DescribeExit(process.ExitCode)}" +
                   (last.Length > 0 ? $"; its last line: {last}" : ""));
        };
        if (!process.Start()) throw new InvalidOperationException($"could not start the model host '{command.FileName}'.");
        host.ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.WriteLine(start.ToLine());
        process.StandardInput.Flush();
        return host;
    }

    private void Logged(string line, Action<string> logged)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (_gate) _lastLine = line.Trim();
        logged(line);
    }

    /// <summary>Stops the host as <see cref="Stop"/> does, with <see cref="StopGrace"/>, without waiting.</summary>
    public void Dispose() => _ = Stop(StopGrace);

    /// <summary>Closes the host's standard input, so that it stops on its own (its remoting says goodbye instead of
    /// dropping the connection), and kills it if it is still running after <paramref name="grace"/>; the task ends
    /// when the host has. A host killed while it stops drops its connection, which the node logs as a failed
    /// association: the grace is generous, and the caller (an actor) never blocks on it.</summary>
    public Task Stop(TimeSpan grace)
    {
        lock (_gate)
        {
            if (_stopped is not null) return _stopped;
            Volatile.Write(ref _disposed, 1);
            try
            {
                if (!_process.HasExited) _process.StandardInput.Close();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // Already gone.
            }
            return _stopped = KillAfterAsync(grace);
        }
    }

    private async Task KillAfterAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It ended meanwhile.
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>How long a host may take to stop once its input is closed: its actor system's own shutdown is bounded
    /// by 10 s (<c>ModelHostCommand</c>); beyond that, and a little more for a loaded machine, it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);
}
