using Curation.Pipeline.Slurm;

namespace Curation.Pipeline.Tests.Slurm;

/// <summary>Answers each program with the results queued for it, in order, and records every call.</summary>
internal sealed class ScriptedCommandRunner : ICommandRunner
{
    private readonly Dictionary<string, Queue<CommandResult>> _answers = new(StringComparer.Ordinal);

    public List<(string Program, IReadOnlyList<string> Arguments, string? Input)> Calls { get; } = [];

    public ScriptedCommandRunner Answer(string program, int exitCode, string standardOutput, string standardError = "")
    {
        if (!_answers.TryGetValue(program, out var queue))
        {
            _answers[program] = queue = new Queue<CommandResult>();
        }

        queue.Enqueue(new CommandResult(exitCode, standardOutput, standardError));
        return this;
    }

    public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken)
    {
        Calls.Add((program, arguments.ToArray(), standardInput));
        if (!_answers.TryGetValue(program, out var queue))
        {
            throw new CommandNotFoundException(program);
        }

        if (queue.Count == 0)
        {
            throw new InvalidOperationException($"no answer left for {program} {string.Join(' ', arguments)}");
        }

        return Task.FromResult(queue.Dequeue());
    }
}
