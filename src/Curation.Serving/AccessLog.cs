using System.Globalization;
using Curation.Training.Generation;

namespace Curation.Serving;

/// <summary>One plain line per answered or failed request, for an operator's terminal or a service log.</summary>
internal sealed class AccessLog(TextWriter output)
{
    private readonly TextWriter _output = TextWriter.Synchronized(output);
    private long _answered;

    public long Answered => Interlocked.Read(ref _answered);

    public void Completed(string model, ChatReply reply)
    {
        Interlocked.Increment(ref _answered);
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"curate serve: {model}: {reply.PromptTokens} prompt + {reply.CompletionTokens} completion tokens, finish {reply.FinishReason}"));
    }

    public void Failed(string what, Exception error) =>
        _output.WriteLine($"curate serve: {what}: failed: {error.GetType().Name}: {error.Message}");

    public void Line(string text) => _output.WriteLine($"curate serve: {text}");
}
