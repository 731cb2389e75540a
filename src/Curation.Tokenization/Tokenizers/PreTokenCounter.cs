using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>Counts the tokens of one pre-token, encoded whole (no splitting, no normalisation).</summary>
internal delegate int PieceCounter(ReadOnlySpan<char> piece);

/// <summary>
/// Counts a text's tokens without encoding it: split into pre-tokens as the tokenizer's pre-tokenizer does (special
/// tokens first, then the split regex, hand-coded for ASCII where <see cref="AsciiSplitGrammar"/> knows the pattern),
/// and each pre-token's count looked up in a cache of recent ones, the byte-pair merge run only for pre-tokens not
/// there. A byte-level BPE encodes each pre-token on its own, so the sum is the length of the encoding.
/// </summary>
/// <remarks>
/// Each count borrows a worker (a bounded cache, emptied when full, a split regex instance and buffers) that no other
/// count uses meanwhile, so threads share nothing they write. Thread-safe.
/// </remarks>
internal sealed class PreTokenCounter
{
    /// <summary>Pre-tokens each thread keeps counts for; ordinary text has far fewer distinct words.</summary>
    public const int DefaultCacheCapacity = 1 << 17;

    private readonly SpecialTokenFinder? _specialTokens;
    private readonly HashSet<string> _specialTokenSet;
    private readonly CodePointRegex? _regex;
    private readonly AsciiSplitGrammar? _grammar;
    private readonly SplitPreTokenizer? _generalSplitter;
    private readonly Normalizer? _normalizer;
    private readonly PieceCounter _countPiece;
    private readonly int _cacheCapacity;

    // Idle workers, lent to one count at a time: a run makes as many as count at once (its workers), not one for
    // every pool thread that ever counts (seven in a run of two workers, each with a cold cache and its own regex).
    // A thread takes back the worker it used last, wherever it waits, before any other, so that two threads counting
    // at once keep their own caches warm in their own cores instead of swapping workers (two threads whose ids pick
    // the same slot did, on every count). Slots are a cache line apart, so threads giving back workers in their own
    // slots do not make each other's lines bounce.
    private const int IdleSlots = 8;
    private const int SlotStride = 16;
    private readonly Worker?[] _idle = new Worker?[IdleSlots * SlotStride];
    private long _handoffs;

    /// <param name="splitter">The pre-tokenizer; one isolated split step is run here, anything else through the splitter itself.</param>
    /// <param name="countPiece">Encodes one pre-token, for those not in the cache.</param>
    public PreTokenCounter(
        SplitPreTokenizer splitter,
        IReadOnlyDictionary<string, int> specialTokens,
        Normalizer? normalizer,
        PieceCounter countPiece,
        int cacheCapacity = DefaultCacheCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheCapacity, 1);
        _specialTokenSet = new HashSet<string>(specialTokens.Keys, StringComparer.Ordinal);
        if (splitter.Steps is [{ Behavior: SplitBehavior.Isolated, Invert: false } step])
        {
            _regex = step.Regex;
            _grammar = AsciiSplitGrammar.For(step.Regex.Pattern);
            _specialTokens = SpecialTokenFinder.For(specialTokens.Keys);
        }
        else
        {
            _generalSplitter = splitter;
        }

        _normalizer = normalizer;
        _countPiece = countPiece;
        _cacheCapacity = cacheCapacity;
    }

    /// <summary>Whether ASCII text is split by hand-coded rules rather than the regex.</summary>
    public bool HasAsciiGrammar => _grammar is not null;

    /// <summary>The most pre-token counts any idle worker's cache holds.</summary>
    public int MostCached
    {
        get
        {
            var most = 0;
            for (var i = 0; i < _idle.Length; i += SlotStride)
            {
                most = Math.Max(most, Volatile.Read(ref _idle[i])?.CacheCount ?? 0);
            }

            return most;
        }
    }

    /// <summary>How many workers wait idle (each made when no idle one was there).</summary>
    public int IdleWorkers
    {
        get
        {
            var idle = 0;
            for (var i = 0; i < _idle.Length; i += SlotStride)
            {
                idle += Volatile.Read(ref _idle[i]) is null ? 0 : 1;
            }

            return idle;
        }
    }

    /// <summary>The tokens of <paramref name="text"/>, normalised first where the tokenizer normalises.</summary>
    public int Count(ReadOnlySpan<char> text)
    {
        if (_normalizer is not null && !(_normalizer is TokenizerJsonNormalizer known && known.LeavesUnchanged(text)))
        {
            return CountNormalized(_normalizer.Normalize(text));
        }

        return CountNormalized(text);
    }

    /// <summary>The pre-tokens of <paramref name="text"/> (already normalised) as this counts them, special tokens among them.</summary>
    public List<(int Offset, int Length)> Split(string text)
    {
        var sink = new CollectingSink([]);
        var worker = Rent();
        Walk(worker, text, ref sink);
        GiveBack(worker);
        return sink.Pieces;
    }

    private int CountNormalized(ReadOnlySpan<char> text)
    {
        var sink = new CountingSink(Rent());
        Walk(sink.Worker, text, ref sink);
        GiveBack(sink.Worker);
        return sink.Total;
    }

    /// <summary>How many times a thread took a worker another thread had used last.</summary>
    internal long Handoffs => Interlocked.Read(ref _handoffs);

    private Worker Rent()
    {
        var thread = Environment.CurrentManagedThreadId;
        var home = HomeSlot(thread);
        for (var i = 0; i < IdleSlots; i++)
        {
            ref var slot = ref _idle[((home + i) % IdleSlots) * SlotStride];
            if (Volatile.Read(ref slot) is { } own && own.LastThread == thread && Interlocked.CompareExchange(ref slot, null, own) == own)
            {
                return own;
            }
        }

        for (var i = 0; i < IdleSlots; i++)
        {
            ref var slot = ref _idle[((home + i) % IdleSlots) * SlotStride];
            if (Volatile.Read(ref slot) is not null && Interlocked.Exchange(ref slot, null) is { } worker)
            {
                Interlocked.Increment(ref _handoffs);
                worker.LastThread = thread;
                return worker;
            }
        }

        return new Worker(this) { LastThread = thread };
    }

    /// <summary>Puts the worker back for the next count; one that finds every slot taken is left to the collector.</summary>
    private void GiveBack(Worker worker)
    {
        var home = HomeSlot(Environment.CurrentManagedThreadId);
        for (var i = 0; i < IdleSlots; i++)
        {
            if (Interlocked.CompareExchange(ref _idle[((home + i) % IdleSlots) * SlotStride], worker, null) is null)
            {
                return;
            }
        }
    }

    private static int HomeSlot(int thread) => thread % IdleSlots;

    private void Walk<TSink>(Worker worker, ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IPieceSink
    {
        if (_generalSplitter is not null)
        {
            var lookup = _specialTokenSet.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var (offset, length) in _generalSplitter.Split(text.ToString()))
            {
                var piece = text.Slice(offset, length);
                sink.Add(piece, offset, lookup.Contains(piece));
            }

            return;
        }

        var position = 0;
        if (_specialTokens is not null)
        {
            while (true)
            {
                var (start, length) = _specialTokens.Next(text, position);
                if (start < 0)
                {
                    break;
                }

                WalkOrdinary(worker, text, position, start, ref sink);
                sink.Add(text.Slice(start, length), start, special: true);
                position = start + length;
            }
        }

        WalkOrdinary(worker, text, position, text.Length, ref sink);
    }

    /// <summary>Splits text between special tokens by the regex: directly, or through stand-ins where it has supplementary characters.</summary>
    private void WalkOrdinary<TSink>(Worker worker, ReadOnlySpan<char> text, int from, int to, ref TSink sink)
        where TSink : struct, IPieceSink
    {
        var segment = text[from..to];
        if (segment.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            for (var start = 0; start < segment.Length;)
            {
                var end = NextEnd(worker, segment, start);
                sink.Add(segment[start..end], from + start, special: false);
                start = end;
            }

            return;
        }

        var length = worker.WriteStandIns(segment);
        var standIn = worker.StandIn.AsSpan(0, length);
        var offsets = worker.Offsets;
        for (var start = 0; start < standIn.Length;)
        {
            var end = NextEnd(worker, standIn, start);
            sink.Add(segment[offsets[start]..offsets[end]], from + offsets[start], special: false);
            start = end;
        }
    }

    private int NextEnd(Worker worker, ReadOnlySpan<char> segment, int start)
    {
        var end = _grammar is null ? -1 : _grammar.NextEnd(segment, start);
        return end >= 0 ? end : worker.RegexNextEnd(segment, start);
    }

    private interface IPieceSink
    {
        void Add(ReadOnlySpan<char> piece, int offset, bool special);
    }

    private struct CountingSink(Worker worker) : IPieceSink
    {
        public Worker Worker { get; } = worker;

        public int Total { get; private set; }

        public void Add(ReadOnlySpan<char> piece, int offset, bool special) => Total += special ? 1 : Worker.CountPiece(piece);
    }

    private readonly struct CollectingSink(List<(int Offset, int Length)> pieces) : IPieceSink
    {
        public List<(int Offset, int Length)> Pieces { get; } = pieces;

        public void Add(ReadOnlySpan<char> piece, int offset, bool special) => Pieces.Add((offset, piece.Length));
    }

    /// <summary>One count's cache, regex instance and stand-in buffers, lent to one count at a time.</summary>
    private sealed class Worker
    {
        private readonly PreTokenCountCache _cache;

        // Single ASCII characters (a space, a newline, a full stop) are about a fifth of all pre-tokens: counted by index; 0 is unknown.
        private readonly int[] _asciiCounts = new int[128];
        private Regex? _regex;

        public Worker(PreTokenCounter owner)
        {
            Owner = owner;
            _cache = new PreTokenCountCache(owner._cacheCapacity);
        }

        public PreTokenCounter Owner { get; }

        /// <summary>The managed id of the thread that rented it last.</summary>
        public int LastThread { get; set; }

        public int CacheCount => _cache.Count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int CountPiece(ReadOnlySpan<char> piece)
        {
            if (piece.Length == 1 && piece[0] < 128)
            {
                ref var known = ref _asciiCounts[piece[0]];
                if (known == 0)
                {
                    known = Owner._countPiece(piece);
                }

                return known;
            }

            if (piece.Length > PreTokenCountCache.LongestPiece)
            {
                return Owner._countPiece(piece);
            }

            if (_cache.TryGet(piece, out var count, out var slot))
            {
                return count;
            }

            count = Owner._countPiece(piece);
            _cache.Add(piece, count, slot);
            return count;
        }

        /// <summary>The end of the piece at <paramref name="start"/> as the regex matches it (a gap before its next match is a piece too).</summary>
        public int RegexNextEnd(ReadOnlySpan<char> segment, int start)
        {
            _regex ??= Owner._regex!.CreateInstance();
            foreach (var match in _regex.EnumerateMatches(segment, start))
            {
                if (match.Length > 0)
                {
                    return match.Index > start ? match.Index : match.Index + match.Length;
                }
            }

            return segment.Length;
        }

        public char[] StandIn { get; private set; } = [];

        public int[] Offsets { get; private set; } = [];

        /// <summary>
        /// Writes the segment with one stand-in character per code point (see <see cref="CodePointRegex"/>) to
        /// <see cref="StandIn"/>, and where each starts in it to <see cref="Offsets"/>; returns the stand-ins' length.
        /// </summary>
        public int WriteStandIns(ReadOnlySpan<char> segment)
        {
            if (StandIn.Length < segment.Length)
            {
                StandIn = new char[Math.Max(segment.Length, 2 * StandIn.Length)];
                Offsets = new int[StandIn.Length + 1];
            }

            return CodePointRegex.WriteStandIns(segment, StandIn, Offsets);
        }
    }
}
