using System.Threading.Channels;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Generation;

namespace Curation.Serving.Scheduling;

/// <summary>
/// One request's generation: what to decode, for which adapter, and where its reply goes. The scheduler's thread
/// reports tokens and the end; the request's handler reads the pieces of text (when streaming) and awaits the reply.
/// A client that goes away (<see cref="Aborted"/>) ends its sequence at the next token.
/// </summary>
internal sealed class GenerationJob
{
    private readonly TextTokenizer _tokenizer;
    private readonly IReadOnlyList<string> _stop;
    private readonly StreamingText? _streaming;
    private readonly Channel<string>? _pieces;
    private readonly List<int> _produced = [];
    private string? _text;
    private readonly TaskCompletionSource<ChatReply> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GenerationJob(string model, IReadOnlyList<int> promptIds, SamplingOptions options, IReadOnlySet<int> stopIds, IReadOnlyList<string> stop, int? adapter, TextTokenizer tokenizer, bool streaming, CancellationToken aborted)
    {
        Model = model;
        _tokenizer = tokenizer;
        _stop = stop;
        Adapter = adapter;
        Aborted = aborted;
        if (streaming)
        {
            _streaming = new StreamingText(stop);
            _pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        }

        Request = new DecodeRequest(promptIds, options, stopIds, StopWhen) { Adapter = adapter };
    }

    public DecodeRequest Request { get; }

    /// <summary>The model name the request asked for.</summary>
    public string Model { get; }

    /// <summary>The served adapter's index, or null for the base model.</summary>
    public int? Adapter { get; }

    public CancellationToken Aborted { get; }

    /// <summary>The reply's text in pieces, as it is decoded; null unless streaming. Completes when the reply does.</summary>
    public ChannelReader<string>? Pieces => _pieces?.Reader;

    public Task<ChatReply> Reply => _reply.Task;

    public void OnToken(int token)
    {
        _produced.Add(token);
        if (_streaming is null && _stop.Count == 0)
        {
            return;
        }

        // Decoded once per token, for both the stream and the stop strings (StopWhen sees the same ids next).
        _text = _tokenizer.Decode(_produced);
        if (_streaming?.Next(_text) is { } piece)
        {
            _pieces!.Writer.TryWrite(piece);
        }
    }

    public void Finish(DecodedIds decoded)
    {
        var text = _text is not null && decoded.Ids.Count == _produced.Count ? _text : _tokenizer.Decode(decoded.Ids);
        if (decoded.Reason == StopReason.StopSequence && StopStrings.First(text, _stop) is >= 0 and var end)
        {
            text = text[..end];
        }

        if (_streaming is not null && _streaming.Rest(text) is { Length: > 0 } rest)
        {
            _pieces!.Writer.TryWrite(rest);
        }

        _pieces?.Writer.TryComplete();
        _reply.TrySetResult(new ChatReply(text, Request.PromptIds.Count, decoded.Ids.Count, decoded.Reason));
    }

    public void Fail(Exception error)
    {
        _pieces?.Writer.TryComplete(error);
        _reply.TrySetException(error);
    }

    public void Cancel()
    {
        _pieces?.Writer.TryComplete();
        _reply.TrySetCanceled(Aborted);
    }

    private bool StopWhen(IReadOnlyList<int> ids) =>
        Aborted.IsCancellationRequested || (_stop.Count > 0 && StopStrings.First(_text ?? _tokenizer.Decode(ids), _stop) >= 0);
}
