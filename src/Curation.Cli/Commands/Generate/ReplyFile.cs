using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Training.Generation;

namespace Curation.Cli.Commands.Generate;

/// <summary>
/// <c>curate generate --input … --output …</c>: a reply to every record of the input files, decoded in batches, written
/// as JSONL in input order under its final name only when every reply is there.
/// </summary>
internal sealed class ReplyFile(BatchedTextGenerator generator, TextWriter log, TimeProvider time)
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The conversation a record asks to continue: its turns, less a final assistant turn (a reference answer).</summary>
    public static IReadOnlyList<Message> PromptOf(ChatRecord record) =>
        record.Messages is [.. var earlier, { Role: Roles.Assistant }] ? earlier : record.Messages;

    /// <exception cref="CurationException">The output is one of the inputs, or a prompt is longer than the model's positions (naming its record).</exception>
    public async Task<(int Replies, long Tokens, TimeSpan Elapsed)> WriteAsync(
        IReadOnlyList<ChatRecord> records, string outputPath, SamplingOptions sampling, IReadOnlyList<string> stop, int maxPositions, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(outputPath);
        if (records.Select(record => record.Source.File).Distinct().Any(input => string.Equals(Path.GetFullPath(input), output, StringComparison.Ordinal)))
        {
            throw new CurationException($"{outputPath}: the output would overwrite an input; choose another --output");
        }

        var requests = new List<ChatRequest>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var conversation = PromptOf(records[i]);
            var promptTokens = generator.PromptOf(conversation).Count;
            if (promptTokens > maxPositions)
            {
                throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{records[i].Source}: the prompt is {promptTokens} tokens; the model has {maxPositions} positions"));
            }

            requests.Add(new ChatRequest(conversation, sampling with { Seed = sampling.Seed + i }, stop));
        }

        var started = time.GetTimestamp();
        var progress = new GenerationProgress(log, time, records.Count);
        var replies = await Task.Run(() => generator.Generate(requests, (_, _) => progress.OnToken(), cancellationToken), cancellationToken);
        var elapsed = time.GetElapsedTime(started);

        using var file = StagedFile.Create(output);
        await using (var json = new Utf8JsonWriter(file.Stream, JsonOptions))
        {
            for (var i = 0; i < records.Count; i++)
            {
                Write(json, records[i], requests[i].Conversation, replies[i]);
                await json.FlushAsync(cancellationToken);
                json.Reset();
                file.Stream.WriteByte((byte)'\n');
            }
        }

        file.Seal();
        file.Commit();
        return (replies.Count, replies.Sum(reply => (long)reply.CompletionTokens), elapsed);
    }

    private static void Write(Utf8JsonWriter json, ChatRecord record, IReadOnlyList<Message> conversation, ChatReply reply)
    {
        json.WriteStartObject();
        json.WriteString("id", record.Id);
        json.WriteStartArray("messages");
        foreach (var message in conversation.Append(new Message(Roles.Assistant, reply.Text)))
        {
            json.WriteStartObject();
            json.WriteString("role", message.Role);
            json.WriteString("content", message.Content);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("finish_reason", reply.FinishReason);
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", reply.PromptTokens);
        json.WriteNumber("completion_tokens", reply.CompletionTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A plain line every few seconds: replies finished is not known per token, so tokens and their rate.</summary>
    private sealed class GenerationProgress(TextWriter log, TimeProvider time, int prompts)
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
        private readonly long _started = time.GetTimestamp();
        private long _tokens;
        private TimeSpan _lastReport;

        public void OnToken()
        {
            _tokens++;
            var elapsed = time.GetElapsedTime(_started);
            if (elapsed - _lastReport < Interval)
            {
                return;
            }

            _lastReport = elapsed;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{elapsed:hh\\:mm\\:ss}] generate: {prompts:N0} prompts, {_tokens:N0} tokens, {_tokens / elapsed.TotalSeconds:N1} tokens/s"));
        }
    }
}
