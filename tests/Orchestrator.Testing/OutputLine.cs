namespace Orchestrator.Testing;

/// <summary>A line of a child process's standard output and when it arrived, since the process was started.</summary>
public readonly record struct OutputLine(TimeSpan At, string Text);
