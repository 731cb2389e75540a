using System.Globalization;
using Curation.DataGen.Content;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Sample;

/// <summary>
/// One file of the sample: clean records first, then planted ones inserted at random positions (copies always after
/// the record they copy), so the README can name exact lines.
/// </summary>
internal sealed class SampleFile
{
    private readonly List<SampleEntry> _clean = [];
    private readonly List<SampleEntry> _planted = [];
    private readonly HashSet<int> _usedIds = [];
    private List<SampleEntry>? _layout;

    private readonly HashSet<string> _contentKeys;
    private readonly NearDuplicateGuard _guard;

    /// <param name="contentKeys">Keys of every clean conversation in the whole sample, shared by all files to keep them unique.</param>
    /// <param name="guard">Near-duplicate index over the whole sample, shared by all files.</param>
    public SampleFile(string path, RecordFormat format, JsonStyle style, DeterministicRandom rng, HashSet<string> contentKeys, NearDuplicateGuard guard)
    {
        _contentKeys = contentKeys;
        _guard = guard;
        Path = path;
        Format = format;
        Style = style;
        Random = rng;
    }

    public string Path { get; }

    public RecordFormat Format { get; }

    public JsonStyle Style { get; }

    public DeterministicRandom Random { get; }

    /// <summary>Prefix of generated ids (e.g. <c>sup</c>); null when the format carries no id.</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Share of records written without an id, although the file has ids.</summary>
    public double MissingIdShare { get; init; } = 0.06;

    public bool WriteCategory { get; init; }

    /// <summary>Generated candidates dropped because they repeated or nearly repeated a record already in the sample.</summary>
    public int Skipped { get; private set; }

    public IReadOnlyList<SampleEntry> Entries => _layout ?? throw new InvalidOperationException("Layout() has not run.");

    /// <summary>Adds <paramref name="count"/> clean records, skipping any that repeat a clean record already in the sample.</summary>
    public void AddClean(IConversationSource source, int count, Func<Conversation, Conversation>? adjust = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var added = 0;
        for (var attempt = 0; added < count; attempt++)
        {
            if (attempt > count * 20)
            {
                throw new InvalidOperationException($"{Path}: the source keeps repeating itself; only {added} of {count} unique records.");
            }

            var conversation = source.Next(Random);
            if (adjust is not null)
            {
                conversation = adjust(conversation);
            }

            if (AddClean(conversation))
            {
                added++;
            }
        }
    }

    /// <summary>Adds a clean record unless it repeats or nearly repeats one already in the sample.</summary>
    /// <returns>Whether the record was added.</returns>
    public bool AddClean(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        CleanRecordCheck.Verify(Path, conversation);
        if (!IsNew(conversation))
        {
            Skipped++;
            return false;
        }

        _clean.Add(new SampleEntry { Conversation = conversation, Id = NewId() });
        return true;
    }

    /// <summary>A fresh record from <paramref name="source"/> that is not in the sample yet, to carry a plant.</summary>
    public Conversation Fresh(IConversationSource source, Func<Conversation, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var conversation = source.Next(Random);
            if ((filter is null || filter(conversation)) && IsNew(conversation))
            {
                return conversation;
            }
        }

        throw new InvalidOperationException($"{Path}: no fresh record fits the plant.");
    }

    /// <summary>Claims a record for a plant: true when it neither repeats nor nearly repeats anything in the sample so far.</summary>
    public bool Reserve(Conversation conversation) => IsNew(conversation);

    private bool IsNew(Conversation conversation) =>
        !_contentKeys.Contains(ContentKey(conversation)) && _guard.TryAdd(conversation) && _contentKeys.Add(ContentKey(conversation));

    public static string ContentKey(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return string.Join("\u0001", conversation.ChatTurns().Select(t => t.Role + "\u0002" + t.Content));
    }

    /// <summary>Mixes clean records that were added kind by kind.</summary>
    public void ShuffleClean() => Random.Shuffle(_clean);

    /// <summary>A clean record not yet used as the model for a plant, chosen at random.</summary>
    public SampleEntry TakeSource(Func<SampleEntry, bool>? filter = null)
    {
        var candidates = _clean.Where(e => !e.IsSource && (filter is null || filter(e))).ToList();
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException($"{Path}: no clean record left that fits the plant.");
        }

        var entry = Random.Pick(candidates);
        entry.IsSource = true;
        return entry;
    }

    public void PlantExactDuplicates(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var original = TakeSource();
            _planted.Add(new SampleEntry
            {
                Conversation = original.Conversation,
                Id = original.Id,
                Issue = PlantedIssue.ExactDuplicate,
                Original = original,
                Detail = "verbatim",
            });
        }
    }

    /// <summary>
    /// Plants an edited copy of a clean record. Only originals long enough for the copy to stay at least
    /// <see cref="MinNearDuplicateSimilarity"/> similar are used, so any sensible near-duplicate threshold catches it.
    /// </summary>
    public void PlantNearDuplicate(PlantedIssue issue, Func<Conversation, Conversation> edit, Func<SampleEntry, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var tried = new HashSet<SampleEntry>();
        while (true)
        {
            var original = TakeSource(e => !tried.Contains(e) && (filter is null || filter(e)));
            var copy = edit(original.Conversation!);
            var similarity = Similarity(original.Conversation!, copy);
            if (similarity >= MinNearDuplicateSimilarity)
            {
                _planted.Add(new SampleEntry
                {
                    Conversation = copy,
                    Id = NewId(),
                    Issue = issue,
                    Original = original,
                    Detail = string.Create(CultureInfo.InvariantCulture, $"{NearDuplicateEdit(issue)} (Jaccard {similarity:F2})"),
                });
                return;
            }

            original.IsSource = false;
            tried.Add(original);
        }
    }

    public const double MinNearDuplicateSimilarity = 0.85;

    private static string NearDuplicateEdit(PlantedIssue issue) => issue switch
    {
        PlantedIssue.NearDuplicateWord => "one word of the response replaced",
        PlantedIssue.NearDuplicateCasePunctuation => "prompt case and final punctuation changed",
        PlantedIssue.NearDuplicateWhitespace => "spaces doubled and a blank line added in the response",
        _ => "boilerplate sentence appended to the response",
    };

    /// <summary>Jaccard similarity of the word 5-gram shingles of two conversations' text.</summary>
    public static double Similarity(Conversation a, Conversation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return NearDuplicateGuard.Jaccard(
            NearDuplicateGuard.Shingles(string.Join("\n", a.ChatTurns().Select(t => t.Content))),
            NearDuplicateGuard.Shingles(string.Join("\n", b.ChatTurns().Select(t => t.Content))));
    }

    /// <summary>Adds a copy of a record of another file, written in this file's format.</summary>
    public void PlantCrossCopy(SampleFile other, SampleEntry original)
    {
        ArgumentNullException.ThrowIfNull(other);
        ArgumentNullException.ThrowIfNull(original);
        original.IsSource = true;
        _planted.Add(new SampleEntry
        {
            Conversation = original.Conversation,
            Id = NewId(),
            Issue = PlantedIssue.CrossFormatDuplicate,
            CrossOriginal = (other, original),
        });
    }

    public void Plant(PlantedIssue issue, Conversation conversation, string detail, WrongType wrong = WrongType.None)
    {
        _planted.Add(new SampleEntry { Conversation = conversation, Id = NewId(), Issue = issue, Detail = detail, WrongType = wrong });
    }

    public void PlantRawText(PlantedIssue issue, string text, string detail) =>
        _planted.Add(new SampleEntry { RawText = text, Issue = issue, Detail = detail });

    public void PlantRawBytes(PlantedIssue issue, byte[] bytes, string detail) =>
        _planted.Add(new SampleEntry { RawBytes = bytes, Issue = issue, Detail = detail });

    /// <summary>The record serialised as this file's JSON line (no newline).</summary>
    public string Serialize(Conversation conversation, string? id, WrongType wrong = WrongType.None) =>
        RecordSerializer.Line(Format, Style, conversation, id, wrong, WriteCategory);

    /// <summary>Places every planted entry and numbers all entries.</summary>
    public void Layout()
    {
        var layout = new List<SampleEntry>(_clean);
        foreach (var entry in _planted)
        {
            var earliest = entry.Original is null ? 0 : layout.IndexOf(entry.Original) + 1;
            layout.Insert(earliest + Random.Next(layout.Count - earliest + 1), entry);
        }

        for (var i = 0; i < layout.Count; i++)
        {
            layout[i].Position = i + 1;
        }

        _layout = layout;
    }

    public string PositionText(SampleEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Format switch
        {
            RecordFormat.FaqCsv or RecordFormat.GlossaryTsv or RecordFormat.Parquet => "row " + entry.Position.ToString(CultureInfo.InvariantCulture),
            RecordFormat.Alpaca when Path.EndsWith(".json", StringComparison.Ordinal) => "element " + entry.Position.ToString(CultureInfo.InvariantCulture),
            _ => "line " + entry.Position.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The README detail for a planted entry, with positions resolved.</summary>
    public string DescribePlant(SampleEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Original is { } original)
        {
            return "copy of " + PositionText(original) + ": " + entry.Detail;
        }

        if (entry.CrossOriginal is { } cross)
        {
            return "same conversation as `" + cross.File.Path + "` " + cross.File.PositionText(cross.Entry);
        }

        return entry.Detail;
    }

    private string? NewId()
    {
        if (IdPrefix is null || Random.Chance(MissingIdShare))
        {
            return null;
        }

        int number;
        do
        {
            number = Random.Between(1, 999_999);
        }
        while (!_usedIds.Add(number));

        return IdPrefix + "-" + number.ToString("D6", CultureInfo.InvariantCulture);
    }
}
