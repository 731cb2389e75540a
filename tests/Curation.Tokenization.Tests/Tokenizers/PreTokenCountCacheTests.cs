using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.Tests.Tokenizers;

public class PreTokenCountCacheTests
{
    [Fact]
    public void GivesBackWhatWasAdded_AndNothingElse()
    {
        var cache = new PreTokenCountCache(capacity: 1000);
        string[] pieces = ["a", "ab", "abc", "abcd", "abcde", " the", " The", "e\u0301", "\uD83D\uDE00", "12345678", "123456789", "abcdefghijkl", "abcdefghijklm", "abcdefghijkL", "\0", "a\0", new string('x', 64)];

        for (var i = 0; i < pieces.Length; i++)
        {
            Assert.False(cache.TryGet(pieces[i], out _, out var slot));
            cache.Add(pieces[i], i + 1, slot);
        }

        for (var i = 0; i < pieces.Length; i++)
        {
            Assert.True(cache.TryGet(pieces[i], out var count, out _));
            Assert.Equal(i + 1, count);
        }

        Assert.False(cache.TryGet("abcdef", out _, out _));
        Assert.False(cache.TryGet(" they", out _, out _));
        Assert.False(cache.TryGet("", out _, out _));
        Assert.False(cache.TryGet("abcdefghijk", out _, out _));
        Assert.False(cache.TryGet("abcdefghijklM", out _, out _));
        Assert.False(cache.TryGet("\0\0", out _, out _));
    }

    [Fact]
    public void ShortAsciiPieces_AreToldApart_WhateverTheirCount()
    {
        // Every pair of ASCII characters, every eight-character run of one character, and every piece of one to eight
        // characters of two letters (where four or more are read as two overlapping halves): pieces kept whole in one
        // number (counts 1 to 15) and the same shapes with larger counts, kept with the longer pieces.
        var cache = new PreTokenCountCache(capacity: 100_000);
        var pieces = new List<string>();
        for (var first = 0; first < 128; first++)
        {
            pieces.Add(new string((char)first, 8));
            for (var second = 0; second < 128; second++)
            {
                pieces.Add(new string([(char)first, (char)second]));
            }
        }

        for (var length = 1; length <= 8; length++)
        {
            for (var bits = 0; bits < 1 << length; bits++)
            {
                pieces.Add(new string([.. Enumerable.Range(0, length).Select(i => (bits >> i & 1) == 0 ? 'a' : 'b')]));
            }
        }

        pieces = [.. pieces.Distinct(StringComparer.Ordinal)];

        for (var i = 0; i < pieces.Count; i++)
        {
            Assert.False(cache.TryGet(pieces[i], out _, out var slot), $"{i} was not added yet");
            cache.Add(pieces[i], (i % 20) + 1, slot);
        }

        Assert.Equal(pieces.Count, cache.Count);
        for (var i = 0; i < pieces.Count; i++)
        {
            Assert.True(cache.TryGet(pieces[i], out var count, out _), $"piece {i} was added");
            Assert.Equal((i % 20) + 1, count);
        }

        Assert.False(cache.TryGet("abcabca", out _, out _));
        Assert.False(cache.TryGet("a", out _, out _));
        Assert.False(cache.TryGet(new string('a', 9), out _, out _));
    }

    [Fact]
    public void WhenFull_IsEmptied_AndKeepsCountingRight()
    {
        var cache = new PreTokenCountCache(capacity: 10);

        for (var i = 0; i < 1000; i++)
        {
            var piece = $"w{i}";
            if (!cache.TryGet(piece, out var count, out var slot))
            {
                cache.Add(piece, i % 200 + 1, slot);
            }
            else
            {
                Assert.Fail($"{piece} was never added but is cached as {count}");
            }

            Assert.InRange(cache.Count, 1, 10);
            Assert.True(cache.TryGet(piece, out count, out _));
            Assert.Equal(i % 200 + 1, count);
        }
    }

    [Fact]
    public void LongPieces_FillTheArena_ThenItIsEmptied()
    {
        // Room for 4 pre-tokens, an arena of 64 characters: the second 64-character piece empties it first.
        var cache = new PreTokenCountCache(capacity: 4);
        var first = new string('a', 64);
        var second = new string('b', 64);

        cache.TryGet(first, out _, out var slot);
        cache.Add(first, 7, slot);
        cache.TryGet(second, out _, out slot);
        cache.Add(second, 9, slot);

        Assert.Equal(1, cache.Count);
        Assert.False(cache.TryGet(first, out _, out _));
        Assert.True(cache.TryGet(second, out var count, out _));
        Assert.Equal(9, count);
    }

    [Fact]
    public void AsItGrows_KeepsEveryPieceItHolds()
    {
        // Far more pre-tokens than the table's first size: it doubles several times on the way, never emptied.
        var cache = new PreTokenCountCache(capacity: 100_000);
        for (var i = 0; i < 50_000; i++)
        {
            Assert.False(cache.TryGet($" w{i}", out _, out var slot));
            cache.Add($" w{i}", (i % 1000) + 1, slot);
        }

        Assert.Equal(50_000, cache.Count);
        for (var i = 0; i < 50_000; i++)
        {
            Assert.True(cache.TryGet($" w{i}", out var count, out _), $" w{i} was added");
            Assert.Equal((i % 1000) + 1, count);
        }

        Assert.False(cache.TryGet(" w50000", out _, out _));
    }
}
