using Curation.Training.Lora;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Generation;

/// <summary>
/// One prompt to continue, with its own sampling, token limit and stop ids; <paramref name="StopWhen"/>, if given,
/// sees the kept ids after each token and ends the sequence (<see cref="StopReason.StopSequence"/>) when it says so.
/// </summary>
public sealed record DecodeRequest(IReadOnlyList<int> PromptIds, SamplingOptions Options, IReadOnlySet<int> StopIds, Func<IReadOnlyList<int>, bool>? StopWhen = null)
{
    /// <summary>The served adapter this sequence runs with (an index into <see cref="ServedAdapters.Names"/>), or null for the base model.</summary>
    public int? Adapter { get; init; }
}

/// <summary>
/// Sequences decoded together, one new token per sequence per step (continuous batching): a sequence joins after
/// its prompt has run on its own, and leaves as soon as it stops, so a long answer does not hold short ones back and
/// a waiting prompt takes the freed row at the next step. Each sequence decides exactly as <see cref="TokenDecoder"/>
/// would alone: the same limits in the same order, its own seeded generator.
/// </summary>
public sealed class DecodeBatch : IDisposable
{
    private readonly CausalLm _model;
    private readonly Device _device;
    private readonly Action<int, int>? _onToken;
    private readonly ServedAdapters? _adapters;
    private readonly KeyValueCache _cache;
    private List<Sequence> _rows = [];

    /// <param name="onToken">Sees (request id, token id) for every token a sequence keeps, as it is chosen.</param>
    /// <param name="adapters">The adapters requests may name (<see cref="DecodeRequest.Adapter"/>); rows with different adapters share each step.</param>
    public DecodeBatch(CausalLm model, Device device, Action<int, int>? onToken = null, ServedAdapters? adapters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _device = device;
        _onToken = onToken;
        _adapters = adapters;
        _cache = new KeyValueCache(model.Config.Layers);
    }

    /// <summary>Sequences still decoding.</summary>
    public int Count => _rows.Count;

    /// <summary>
    /// Runs <paramref name="request"/>'s prompt and chooses its first token; the sequence joins the batch unless that
    /// already ended it, in which case its result is returned.
    /// </summary>
    /// <exception cref="Core.CurationException">The prompt is longer than the model's positions.</exception>
    public DecodedIds? Add(int id, DecodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        TokenDecoder.CheckPromptFits(_model.Config, request.PromptIds.Count);
        if (request.Options.MaxNewTokens <= 0)
        {
            return new DecodedIds([], StopReason.TokenLimit);
        }

        _model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sequence = new Sequence(id, request, new Generator((ulong)request.Options.Seed, _device));
        var single = new KeyValueCache(_model.Config.Layers);
        var prompt = tensor(request.PromptIds.Select(token => (long)token).ToArray(), [1, request.PromptIds.Count], device: _device);
        Tensor logits;
        using (RouteOf([request]))
        {
            logits = _model.ForwardWithCache(prompt, single)[0, -1];
        }

        var ended = Accept(sequence, TokenChooser.Choose(logits, request.Options, sequence.Generator));
        if (ended is not null)
        {
            single.Dispose();
            return ended;
        }

        _cache.Join(single);
        _rows.Add(sequence);
        return null;
    }

    /// <summary>One token for every sequence; returns those that ended, by request id.</summary>
    public IReadOnlyList<(int Id, DecodedIds Result)> Step()
    {
        if (_rows.Count == 0)
        {
            return [];
        }

        _model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(_rows.Select(row => (long)row.Pending).ToArray(), [_rows.Count, 1], device: _device);
        Tensor logits;
        using (RouteOf(_rows.Select(row => row.Request)))
        {
            logits = _model.ForwardWithCache(ids, _cache).select(1, -1);
        }

        var chosen = Choose(logits);
        var ended = new List<(int, DecodedIds)>();
        var staying = new List<int>();
        for (var row = 0; row < _rows.Count; row++)
        {
            if (Accept(_rows[row], chosen[row]) is { } result)
            {
                ended.Add((_rows[row].Id, result));
            }
            else
            {
                staying.Add(row);
            }
        }

        if (ended.Count > 0)
        {
            _cache.Keep(staying);
            _rows = [.. staying.Select(row => _rows[row])];
        }

        return ended;
    }

    public void Dispose()
    {
        foreach (var row in _rows)
        {
            row.Generator.Dispose();
        }

        _rows = [];
        _cache.Dispose();
    }

    private IDisposable? RouteOf(IEnumerable<DecodeRequest> rows) =>
        _adapters is null ? null : _adapters.Route([.. rows.Select(request => request.Adapter)]);

    // Greedy rows take one argmax over the batch (one read back from the device); sampled rows draw one by one.
    private int[] Choose(Tensor logits)
    {
        var greedy = logits.argmax(-1).to(CPU).data<long>().ToArray();
        var chosen = new int[_rows.Count];
        for (var row = 0; row < _rows.Count; row++)
        {
            var options = _rows[row].Request.Options;
            chosen[row] = options.IsGreedy ? (int)greedy[row] : TokenChooser.Choose(logits[row], options, _rows[row].Generator);
        }

        return chosen;
    }

    // As TokenDecoder's loop: a stop id ends it unkept; then the token limit; then the model's last position.
    private DecodedIds? Accept(Sequence sequence, int token)
    {
        var options = sequence.Request.Options;
        DecodedIds? ended;
        if (sequence.Request.StopIds.Contains(token))
        {
            ended = new DecodedIds(sequence.Produced, StopReason.EndMarker);
        }
        else
        {
            sequence.Produced.Add(token);
            sequence.Pending = token;
            _onToken?.Invoke(sequence.Id, token);
            ended = sequence.Request.StopWhen?.Invoke(sequence.Produced) == true ? new DecodedIds(sequence.Produced, StopReason.StopSequence)
                : sequence.Produced.Count >= options.MaxNewTokens ? new DecodedIds(sequence.Produced, StopReason.TokenLimit)
                : sequence.Request.PromptIds.Count + sequence.Produced.Count > _model.Config.MaxPositions ? new DecodedIds(sequence.Produced, StopReason.PositionLimit)
                : null;
        }

        if (ended is not null)
        {
            sequence.Generator.Dispose();
        }

        return ended;
    }

    private sealed class Sequence(int id, DecodeRequest request, Generator generator)
    {
        public int Id { get; } = id;

        public DecodeRequest Request { get; } = request;

        public Generator Generator { get; } = generator;

        public List<int> Produced { get; } = [];

        public int Pending { get; set; }
    }
}
