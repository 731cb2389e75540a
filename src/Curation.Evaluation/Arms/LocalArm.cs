using System.Runtime.CompilerServices;
using Curation.Core;
using Curation.Evaluation.Config;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Checkpoints;
using Curation.Training.Generation;
using Curation.Training.Lora;
using Curation.Training.Models;
using Curation.Training.Runtime;
using TorchSharp;

namespace Curation.Evaluation.Arms;

/// <summary>
/// A model folder (and optionally a LoRA adapter) answering in this process through continuous batched generation.
/// The model is loaded on the first call that is not cached, so a rerun served from the cache loads nothing.
/// Calls are generated in chunks, and each chunk's answers are handed back as soon as it ends.
/// </summary>
internal sealed class LocalArm(string name, LocalArmOptions options, TimeProvider time) : IEvalArm
{
    private LoadedModel? _loaded;

    public string Name => name;

    public string Identity { get; } = CheckFolders(name, options);

    public async IAsyncEnumerable<AnsweredCall> AnswerAsync(
        IReadOnlyList<ArmCall> calls, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (calls.Count == 0)
        {
            yield break;
        }

        var loaded = _loaded ??= await Task.Run(() => LoadedModel.Load(options), cancellationToken);
        var generator = new BatchedTextGenerator(loaded.Model, loaded.Tokenizer, loaded.Template, loaded.Device, options.BatchSize);
        var chunkSize = Math.Max(options.BatchSize * 4, 32);
        for (var start = 0; start < calls.Count && !cancellationToken.IsCancellationRequested; start += chunkSize)
        {
            var chunk = calls.Skip(start).Take(chunkSize).ToArray();
            var requests = chunk.Select(call => new ChatRequest(
                call.Messages,
                new SamplingOptions(call.Parameters.MaxTokens, call.Parameters.Temperature, call.Parameters.TopP, call.Parameters.Seed ?? 1),
                [])).ToArray();
            var began = time.GetTimestamp();
            var first = new long[chunk.Length];
            var finished = new long[chunk.Length];
            void OnToken(int index)
            {
                var now = time.GetTimestamp();
                if (first[index] == 0)
                {
                    first[index] = now;
                }

                finished[index] = now;
            }

            IReadOnlyList<ChatReply> replies;
            try
            {
                replies = await Task.Run(
                    () => generator.Generate(requests, (index, _) => OnToken(index), cancellationToken),
                    cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            // A sequence waits for a free slot of the batch before its first token; a server would have queued it, so
            // its latency is its own decoding plus the prefill the first sequences paid, not the time spent waiting.
            var prefill = first.Where(stamp => stamp != 0).DefaultIfEmpty(began).Min() - began;
            for (var i = 0; i < chunk.Length; i++)
            {
                var reply = replies[i];
                var latency = first[i] == 0 ? TimeSpan.Zero : time.GetElapsedTime(first[i] - prefill, finished[i]);
                yield return new AnsweredCall(chunk[i], new ArmAnswer(reply.Text, reply.PromptTokens, reply.CompletionTokens, latency, 1, null, name)
                {
                    FinishReason = reply.FinishReason,
                });
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _loaded?.Model.Dispose();
        _loaded = null;
        return ValueTask.CompletedTask;
    }

    private static string CheckFolders(string name, LocalArmOptions options)
    {
        if (!Directory.Exists(options.Model))
        {
            throw new CurationException($"arm '{name}': model folder not found: {options.Model}");
        }

        if (options.Adapter is { } adapter && !Directory.Exists(adapter))
        {
            throw new CurationException($"arm '{name}': adapter folder not found: {adapter}");
        }

        return LocalModelIdentity.Of(options.Model!, options.Adapter);
    }

    private sealed record LoadedModel(CausalLm Model, TextTokenizer Tokenizer, ChatTemplate Template, torch.Device Device)
    {
        public static LoadedModel Load(LocalArmOptions options)
        {
            var device = DeviceChoice.Resolve(options.Device);
            var model = Checkpoint.Open(options.Model!).LoadModel();
            if (options.Adapter is { } adapter)
            {
                LoraAdapter.Load(model, adapter);
            }

            model.to(device);
            PrecisionChoice.Apply(model, PrecisionChoice.Resolve(options.Precision, device));
            var tokenizer = TokenizerCatalog.Load(options.Model!, Environment.CurrentDirectory);
            var template = ChatTemplateCatalog.Resolve(options.Template, options.Model!);
            return new LoadedModel(model, tokenizer, template, device);
        }
    }
}
