namespace Curation.Filters.Quality.Text;

/// <summary>
/// How much of a response repeats its prompt: the share of the response's word 3-grams that are also in the prompt
/// (both already lower-cased); for a response under three words, 1 when its words are the prompt's, else 0.
/// </summary>
/// <remarks>
/// Only a share above the rule's limit matters, so counting stops once so many 3-grams are missing that the share
/// can no longer exceed it; the share returned then is the lower count so far, also not above the limit. The
/// response's words are read as they are counted, so a response that shares little with its prompt is read only in part.
/// </remarks>
internal static class PromptEcho
{
    private const int N = 3;

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <param name="responseWords">How many words <paramref name="response"/> has.</param>
    public static double Share(ReadOnlySpan<char> prompt, ReadOnlySpan<char> response, int responseWords, double limit)
    {
        var scratch = t_scratch ??= new Scratch();
        var promptWords = scratch.Prompt;
        promptWords.Fill(prompt);
        if (responseWords < N)
        {
            var shortResponse = scratch.Response;
            shortResponse.Fill(response);
            return responseWords > 0 && SameWords(prompt, promptWords, 0, response, shortResponse, 0, Math.Max(responseWords, promptWords.Count)) ? 1 : 0;
        }

        var slots = scratch.EmptySlots(promptWords.Count);
        var mask = slots.Length - 1;
        for (var i = 0; i + N <= promptWords.Count; i++)
        {
            var slot = GramHash(promptWords.Hash(i), promptWords.Hash(i + 1), promptWords.Hash(i + 2)) & mask;
            while (slots[slot] != 0 && !SameWords(prompt, promptWords, slots[slot] - 1, prompt, promptWords, i, N))
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = i + 1;
        }

        var total = responseWords - 2;
        var found = 0;
        var window = new ResponseWindow(response);
        for (var i = 0; i < total; i++)
        {
            if ((double)(found + (total - i)) / total <= limit)
            {
                break;
            }

            window.Advance();
            for (var slot = window.GramHash() & mask; slots[slot] != 0; slot = (slot + 1) & mask)
            {
                if (window.Matches(prompt, promptWords, slots[slot] - 1))
                {
                    found++;
                    break;
                }
            }
        }

        return (double)found / total;
    }

    private static int GramHash(int first, int second, int third) => HashCode.Combine(first, second, third);

    /// <summary>Whether the <paramref name="count"/> words from each start are equal; past either list's end, both must have ended.</summary>
    private static bool SameWords(ReadOnlySpan<char> aText, WordList a, int aStart, ReadOnlySpan<char> bText, WordList b, int bStart, int count)
    {
        for (var k = 0; k < count; k++)
        {
            var aHas = aStart + k < a.Count;
            var bHas = bStart + k < b.Count;
            if (aHas != bHas)
            {
                return false;
            }

            if (aHas && !a.Word(aText, aStart + k).SequenceEqual(b.Word(bText, bStart + k)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The response's current 3-gram: its last three words, read one at a time.</summary>
    private ref struct ResponseWindow(ReadOnlySpan<char> response)
    {
        private readonly ReadOnlySpan<char> _response = response;
        private WordEnumerator _words = new(response);
        private (int Start, int Length, int Hash) _first;
        private (int Start, int Length, int Hash) _second;
        private (int Start, int Length, int Hash) _third;
        private bool _started;

        /// <summary>Moves to the next 3-gram; the caller knows there is one.</summary>
        public void Advance()
        {
            if (!_started)
            {
                _started = true;
                _second = Next();
                _third = Next();
            }

            _first = _second;
            _second = _third;
            _third = Next();
        }

        public readonly int GramHash() => PromptEcho.GramHash(_first.Hash, _second.Hash, _third.Hash);

        public readonly bool Matches(ReadOnlySpan<char> prompt, WordList promptWords, int start) =>
            promptWords.Word(prompt, start).SequenceEqual(_response.Slice(_first.Start, _first.Length))
            && promptWords.Word(prompt, start + 1).SequenceEqual(_response.Slice(_second.Start, _second.Length))
            && promptWords.Word(prompt, start + 2).SequenceEqual(_response.Slice(_third.Start, _third.Length));

        private (int Start, int Length, int Hash) Next()
        {
            _words.MoveNext();
            return (_words.Start, _words.Current.Length, WordList.HashOf(_words.Current));
        }
    }

    private sealed class Scratch
    {
        private const int MinimumSize = 64;

        private int[] _slots = new int[MinimumSize];

        public WordList Prompt { get; } = new();

        public WordList Response { get; } = new();

        /// <summary>An emptied open-addressing table (a power of two) with room for <paramref name="grams"/> entries at half load.</summary>
        public Span<int> EmptySlots(int grams)
        {
            var size = MinimumSize;
            while (size < grams * 2)
            {
                size *= 2;
            }

            if (size > _slots.Length)
            {
                _slots = new int[size];
            }

            var slots = _slots.AsSpan(0, size);
            slots.Clear();
            return slots;
        }
    }
}
