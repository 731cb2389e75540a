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
/// Sequences decoded together, one new token per sequence per step (continuous batching): sequences join once
/// their prompts have run (all waiting prompts in one pass), and leave as soon as they stop, so a long answer does
/// not hold short ones back and a waiting prompt takes the freed row at the next step. Each sequence decides exactly as <see cref="TokenDecoder"/>
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
        _model.eval();
    }

    /// <summary>Sequences still decoding.</summary>
    public int Count => _rows.Count;

    /// <summary>
    /// Runs <paramref name="request"/>'s prompt and chooses its first token; the sequence joins the batch unless that
    /// already ended it, in which case its result is returned.
    /// </summary>
    /// <exception cref="Core.CurationException">The prompt is longer than the model's positions.</exception>
    public DecodedIds? Add(int id, DecodeRequest request) => Add([(id, request)]) is [(_, var ended)] ? ended : null;

    /// <summary>
    /// Runs the prompts of <paramref name="requests"/> together (padded on the right to the longest: a causal pass
    /// never looks right, so each prompt's positions are computed as alone) and chooses each one's first token; those
    /// that go on join the batch, the others' results are returned by request id.
    /// </summary>
    /// <exception cref="Core.CurationException">A prompt is longer than the model's positions (checked before any is run).</exception>
    public IReadOnlyList<(int Id, DecodedIds Result)> Add(IReadOnlyList<(int Id, DecodeRequest Request)> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var ended = new List<(int, DecodedIds)>();
        var running = new List<(int Id, DecodeRequest Request)>();
        foreach (var (id, request) in requests)
        {
            ArgumentNullException.ThrowIfNull(request);
            TokenDecoder.CheckPromptFits(_model.Config, request.PromptIds.Count);
            if (request.Options.MaxNewTokens <= 0)
            {
                ended.Add((id, new DecodedIds([], StopReason.TokenLimit)));
            }
            else
            {
                running.Add((id, request));
            }
        }

        if (running.Count == 0)
        {
            return ended;
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sequences = running.Select(item => new Sequence(item.Id, item.Request, new Generator((ulong)item.Request.Options.Seed, _device))).ToList();
        var lengths = running.Select(item => (long)item.Request.PromptIds.Count).ToArray();
        var columns = (int)lengths.Max();
        var padded = new long[running.Count * columns];
        for (var row = 0; row < running.Count; row++)
        {
            var prompt = running[row].Request.PromptIds;
            for (var column = 0; column < prompt.Count; column++)
            {
                padded[(row * columns) + column] = prompt[column];
            }
        }

        var joining = new KeyValueCache(_model.Config.Layers);
        var last = tensor(lengths.Select(length => length - 1).ToArray(), device: _device);
        Tensor logits;
        using (RouteOf(running.Select(item => item.Request)))
        {
            logits = _model.ForwardLastWithCache(tensor(padded, [running.Count, columns], device: _device), joining, last);
        }

        joining.Shorten(lengths);
        var chosen = Choose(logits, sequences);
        var staying = new List<int>();
        for (var row = 0; row < sequences.Count; row++)
        {
            if (Accept(sequences[row], chosen[row]) is { } result)
            {
                ended.Add((sequences[row].Id, result));
            }
            else
            {
                staying.Add(row);
            }
        }

        joining.Keep(staying);
        _cache.Join(joining);
        joining.Dispose();
        _rows.AddRange(staying.Select(row => sequences[row]));
        return ended;
    }

    /// <summary>One token for every sequence; returns those that ended, by request id.</summary>
    public IReadOnlyList<(int Id, DecodedIds Result)> Step()
    {
        if (_rows.Count == 0)
        {
            return [];
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(_rows.Select(row => (long)row.Pending).ToArray(), [_rows.Count, 1], device: _device);
        Tensor logits;
        using (RouteOf(_rows.Select(row => row.Request)))
        {
            logits = _model.ForwardWithCache(ids, _cache).select(1, -1);
        }

        var chosen = Choose(logits, _rows);
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
    private static int[] Choose(Tensor logits, IReadOnlyList<Sequence> rows)
    {
        var greedy = logits.argmax(-1).to(CPU).data<long>().ToArray();
        var chosen = new int[rows.Count];
        for (var row = 0; row < rows.Count; row++)
        {
            var options = rows[row].Request.Options;
            chosen[row] = options.IsGreedy ? (int)greedy[row] : TokenChooser.Choose(logits[row], options, rows[row].Generator);
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
