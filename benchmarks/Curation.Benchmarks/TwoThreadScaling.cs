using System.Diagnostics;
using System.Globalization;
using Curation.Benchmarks.Corpus;
using Curation.Tokenization.Tokenizers;

namespace Curation.Benchmarks;

/// <summary>
/// How much faster token counting runs on two threads than on one, measured as a ratio within each round so that the
/// host's drift cancels out: every round times the corpus counted on one thread and on two long-lived threads, in
/// alternating order, and the same for control loops (what the host itself gives a second thread). Two threads
/// split the work two ways: in halves, and as a queue of chunks (64 records) that each takes from as it finishes
/// the last, as the stage's workers take batches. Reports the median and range of the per-round ratios.
/// <code>
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- scaling [rounds] [tokenizer ...]
/// </code>
/// </summary>
internal static class TwoThreadScaling
{
    public const string Command = "scaling";

    private const int PassesPerTiming = 32;

    /// <summary>Records per chunk of the queue: about a reader's batch (64 KB) of this corpus.</summary>
    private const int RecordsPerChunk = 64;

    /// <summary>The size of the table the second control reads: each thread's cache of pre-token counts is of this order.</summary>
    private const int TableMegabytes = 4;

    private static long s_sink;

    public static int Run(IReadOnlyList<string> arguments)
    {
        var roundsGiven = int.TryParse(arguments.Count > 0 ? arguments[0] : null, CultureInfo.InvariantCulture, out var asked);
        var rounds = roundsGiven ? asked : 15;
        if (rounds < 1)
        {
            Console.Error.WriteLine($"error: scaling needs at least 1 round, got {rounds}");
            return 2;
        }

        List<string> tokenizers = [.. arguments.Skip(roundsGiven ? 1 : 0)];
        if (tokenizers.Count == 0)
        {
            tokenizers = ["cl100k_base", "o200k_base", "qwen2.5"];
        }

        var texts = TokenLengthBenchmarks.TurnTexts(Corpora.Records(CorpusKind.OpenAi));
        var megabytes = Corpora.BytesOf(CorpusKind.OpenAi) / 1e6;
        var half = TokenLengthBenchmarks.CharacterMidpoint(texts);
        using var threads = new DedicatedThreads(2);

        Console.WriteLine($"{Environment.ProcessorCount} processors, {rounds} rounds, {PassesPerTiming} passes per timing, corpus {megabytes:0.0} MB ({texts.Length} records)");
        Console.WriteLine("| work | one thread, median | two threads, median | scaling, median of rounds | range | larger half's share of one thread's time | two threads, queue of chunks | scaling | range |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var name in tokenizers)
        {
            TextTokenizer tokenizer;
            try
            {
                tokenizer = TokenizerCatalog.Load(TokenLengthBenchmarks.NameOrFolder(name), AppContext.BaseDirectory);
            }
            catch (Exception error) when (error is InvalidOperationException or Core.CurationException or IOException)
            {
                Console.Error.WriteLine($"error: tokenizer '{name}': {error.Message}");
                return 2;
            }

            Report(name, (megabytes, "MB/s"), rounds, threads, (from, to) => TokenLengthBenchmarks.CountRange(tokenizer, texts, from, to), half, texts.Length, RecordsPerChunk);
        }

        // The controls split a fixed number of steps in two, as the corpus is split, or into as many chunks.
        var chunks = Math.Max(1, texts.Length / RecordsPerChunk);
        const int controlSteps = 60_000_000;
        Report("control: register-only loop", (controlSteps / 1e6, "M steps/s"), rounds, threads, (from, to) => (long)RegisterLoop(to - from), controlSteps / 2, controlSteps, controlSteps / chunks);
        Report("control: eight independent chains", (controlSteps / 1e6, "M steps/s"), rounds, threads, (from, to) => (long)WideLoop(to - from), controlSteps / 2, controlSteps, controlSteps / chunks);
        const int readSteps = 20_000_000;
        var table = new ulong[TableMegabytes << 17];
        Report($"control: dependent reads over {TableMegabytes} MB", (readSteps / 1e6, "M reads/s"), rounds, threads, (from, to) => (long)ReadLoop(table, to - from), readSteps / 2, readSteps, readSteps / chunks);
        return 0;
    }

    private static void Report(string name, (double Amount, string Unit) size, int rounds, DedicatedThreads threads, Func<int, int, long> work, int half, int end, int chunk)
    {
        // Once on each thread first, so that no round pays for filling a thread's caches.
        var expected = work(0, end);
        Check(OnTwo(threads, work, half, end), expected);
        Check(OnTwoFromQueue(threads, work, end, chunk), expected);
        var one = new List<double>();
        var two = new List<double>();
        var queued = new List<double>();
        var ratios = new List<double>();
        var queuedRatios = new List<double>();
        var balance = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            double single, pair, fromQueue;
            if (round % 2 == 0)
            {
                single = Time(() => Check(work(0, end), expected));
                pair = Time(() => Check(OnTwo(threads, work, half, end), expected));
                fromQueue = Time(() => Check(OnTwoFromQueue(threads, work, end, chunk), expected));
            }
            else
            {
                fromQueue = Time(() => Check(OnTwoFromQueue(threads, work, end, chunk), expected));
                pair = Time(() => Check(OnTwo(threads, work, half, end), expected));
                single = Time(() => Check(work(0, end), expected));
            }

            one.Add(single);
            two.Add(pair);
            queued.Add(fromQueue);
            ratios.Add(single / pair);
            queuedRatios.Add(single / fromQueue);
            var first = Time(() => work(0, half));
            var second = Time(() => work(half, end));
            balance.Add(Math.Max(first, second) / (first + second));
        }

        string Rate(List<double> seconds) => string.Create(CultureInfo.InvariantCulture, $"{size.Amount / Median(seconds):0.0} {size.Unit}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {Rate(one)} | {Rate(two)} | {Median(ratios):0.00}x | {ratios.Min():0.00}–{ratios.Max():0.00} | {Median(balance):0.000} | {Rate(queued)} | {Median(queuedRatios):0.00}x | {queuedRatios.Min():0.00}–{queuedRatios.Max():0.00} |"));
    }

    /// <summary>Both threads take the next <paramref name="chunk"/> of the work until none is left.</summary>
    private static long OnTwoFromQueue(DedicatedThreads threads, Func<int, int, long> work, int end, int chunk)
    {
        var next = 0;
        var totals = new long[2];
        threads.Run(part =>
        {
            var total = 0L;
            while (true)
            {
                var from = Interlocked.Add(ref next, chunk) - chunk;
                if (from >= end)
                {
                    break;
                }

                total += work(from, Math.Min(from + chunk, end));
            }

            totals[part] = total;
        });
        return totals[0] + totals[1];
    }

    private static long OnTwo(DedicatedThreads threads, Func<int, int, long> work, int half, int end)
    {
        var totals = new long[2];
        threads.Run(part => totals[part] = part == 0 ? work(0, half) : work(half, end));
        return totals[0] + totals[1];
    }

    private static void Check(long total, long expected)
    {
        if (total != expected)
        {
            throw new InvalidOperationException($"counted {total}, expected {expected}");
        }
    }

    /// <summary>Seconds per pass, over <see cref="PassesPerTiming"/> passes.</summary>
    private static double Time(Action pass)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < PassesPerTiming; i++)
        {
            pass();
        }

        return watch.Elapsed.TotalSeconds / PassesPerTiming;
    }

    /// <summary>Eight independent chains of adds, rotates and xors: as many instructions per cycle as the core can issue, so a second thread gains only where it has a core of its own (not a sibling's spare issue slots).</summary>
    private static int WideLoop(int steps)
    {
        ulong a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
        for (var i = 0; i < steps; i++)
        {
            a = ulong.RotateLeft(a + b, 7) ^ c;
            b = ulong.RotateLeft(b + c, 9) ^ d;
            c = ulong.RotateLeft(c + d, 11) ^ e;
            d = ulong.RotateLeft(d + e, 13) ^ f;
            e = ulong.RotateLeft(e + f, 17) ^ g;
            f = ulong.RotateLeft(f + g, 19) ^ h;
            g = ulong.RotateLeft(g + h, 23) ^ a;
            h = ulong.RotateLeft(h + a, 29) ^ b;
        }

        Interlocked.Add(ref s_sink, (long)(a ^ b ^ c ^ d ^ e ^ f ^ g ^ h));
        return steps;
    }

    /// <summary>A dependent chain of reads at pseudo-random places in a table: each read waits for the last, so the caches and memory the threads share count.</summary>
    private static int ReadLoop(ulong[] table, int steps)
    {
        var mask = (ulong)table.Length - 1;
        var place = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < steps; i++)
        {
            place = ((place ^ table[(int)(place & mask)]) * 0xBF58476D1CE4E5B9UL) ^ (place >> 31);
        }

        Interlocked.Add(ref s_sink, (long)place);
        return steps;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A dependent chain of multiplies and shifts: no memory traffic, so only the core's own speed counts. Returns the steps taken, so that the halves' sum is checkable.</summary>
    private static int RegisterLoop(int steps)
    {
        var value = 0x9E3779B97F4A7C15UL;
        for (var i = 0; i < steps; i++)
        {
            value ^= value >> 29;
            value *= 0xBF58476D1CE4E5B9UL;
        }

        // Published, so that the chain cannot be optimised away.
        Interlocked.Add(ref s_sink, (long)value);
        return steps;
    }
}
