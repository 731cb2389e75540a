using System.Globalization;
using System.Text;

namespace Curation.DedupAccuracy;

/// <summary>
/// Makes seeded near-copies of base documents: word insertions, deletions and adjacent swaps at a random per-word
/// rate (the strength), optionally boilerplate sentences appended, whitespace changed and letters re-cased. The last
/// two are invisible after simplification; the edits and boilerplate lower the true Jaccard, from 1 down to about 0.5.
/// </summary>
internal sealed class Perturber(SeededRandom random)
{
    /// <summary>Highest per-word edit rate; with word 5-grams a rate of r keeps about (1 − r)^5 of the shingles.</summary>
    public const double MaxStrength = 0.07;

    private static readonly string[] Boilerplate =
    [
        "This document is provided as is, without warranty of any kind.",
        "For the latest version of this text, please visit the project's website.",
        "Copyright the respective authors. All rights reserved.",
        "Please report any errors or omissions to the maintainers of this package.",
        "Thank you for reading; further documentation is available online.",
        "This page was generated automatically and may be out of date.",
        "Click here to subscribe to our newsletter for updates and announcements.",
        "Disclaimer: the views expressed here are those of the authors alone.",
    ];

    private static readonly string[] Spaces = ["  ", "\n", "\t", " \n ", "   "];

    /// <summary>
    /// Variants of a random <paramref name="fraction"/> of <paramref name="bases"/>, one to three each, numbered after them.
    /// </summary>
    public List<Document> Variants(IReadOnlyList<Document> bases, double fraction)
    {
        var variants = new List<Document>();
        foreach (var original in bases)
        {
            if (!random.Chance(fraction))
            {
                continue;
            }

            for (var copies = 1 + random.Next(3); copies > 0; copies--)
            {
                var strength = random.NextDouble() * MaxStrength;
                var text = Perturb(original.Text, strength, out var operations);
                var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
                variants.Add(new Document(
                    bases.Count + variants.Count,
                    "variant",
                    string.Create(CultureInfo.InvariantCulture, $"{original.Id} @{strength:0.000} {operations}"),
                    text,
                    words,
                    original.Id));
            }
        }

        return variants;
    }

    /// <summary>One perturbed copy of <paramref name="text"/>; <paramref name="operations"/> names what was done.</summary>
    public string Perturb(string text, double strength, out string operations)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        var vocabulary = words.ToArray();
        var done = new List<string> { "edit" };
        for (var i = 0; i < words.Count; i++)
        {
            if (!random.Chance(strength))
            {
                continue;
            }

            switch (random.Next(3))
            {
                case 0:
                    words.Insert(i++, vocabulary[random.Next(vocabulary.Length)]);
                    break;
                case 1:
                    words.RemoveAt(i--);
                    break;
                default:
                    if (i + 1 < words.Count)
                    {
                        (words[i], words[i + 1]) = (words[i + 1], words[i]);
                        i++;
                    }

                    break;
            }
        }

        if (random.Chance(0.4))
        {
            done.Add("boilerplate");
            for (var sentences = 1 + random.Next(2); sentences > 0; sentences--)
            {
                words.AddRange(Boilerplate[random.Next(Boilerplate.Length)].Split(' '));
            }
        }

        if (random.Chance(0.5))
        {
            done.Add("case");
            var upperAll = random.Chance(0.2);
            for (var i = 0; i < words.Count; i++)
            {
                if (upperAll || random.Chance(0.1))
                {
                    words[i] = random.Chance(0.5) || upperAll
                        ? words[i].ToUpperInvariant()
                        : string.Concat(words[i][..1].ToUpperInvariant(), words[i][1..].ToLowerInvariant());
                }
            }
        }

        var oddSpaces = random.Chance(0.5);
        if (oddSpaces)
        {
            done.Add("whitespace");
        }

        var result = new StringBuilder(text.Length + 64);
        for (var i = 0; i < words.Count; i++)
        {
            if (i > 0)
            {
                result.Append(oddSpaces && random.Chance(0.1) ? Spaces[random.Next(Spaces.Length)] : " ");
            }

            result.Append(words[i]);
        }

        operations = string.Join('+', done);
        return result.ToString();
    }
}
