using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Files;

namespace Curation.Review.Decisions;

/// <summary>How an import changed the store: its decisions and, when the export had pairwise answers, its preferences.</summary>
public sealed record StoreUpdate(int Added, int Changed, int Unchanged)
{
    public StoreUpdate? Preferences { get; init; }
}

/// <summary>
/// The review decisions of one dataset: a folder holding <c>decisions.jsonl</c> (every imported decision, append
/// only; the last one for a record id wins), <c>batches.jsonl</c> (every export: which records went to review) and
/// <c>preferences.jsonl</c> (every pairwise choice between two records; the last one for a pair wins). The files are
/// replaced whole through a temporary file and a rename, so a failed or interrupted write leaves the store as it was.
/// </summary>
public sealed class DecisionStore
{
    public const string DecisionsFile = "decisions.jsonl";
    public const string BatchesFile = "batches.jsonl";
    public const string PreferencesFile = "preferences.jsonl";

    private readonly Dictionary<string, ReviewDecision> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReviewBatch> _batches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreferencePair> _preferences = new(StringComparer.Ordinal);

    private DecisionStore(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    /// <summary>The folder as messages and run notes show it: relative to the working directory when beneath it.</summary>
    public string DisplayFolder => Curation.Core.Files.DisplayPath.For(Folder);

    /// <summary>The decision that counts for each record id.</summary>
    public IReadOnlyDictionary<string, ReviewDecision> Decisions => _latest;

    public IReadOnlyDictionary<string, ReviewBatch> Batches => _batches;

    /// <summary>The preference that counts for each pair of records, in the order the pairs were first imported.</summary>
    public IEnumerable<PreferencePair> Preferences => _preferences.Values;

    /// <summary>Every record id some export sent to review.</summary>
    public IReadOnlySet<string> ExportedIds => _exported;

    /// <summary>True when the batch exists and holds the record.</summary>
    public bool InBatch(string batchId, string recordId)
    {
        if (!_members.TryGetValue(batchId, out var members))
        {
            if (!_batches.TryGetValue(batchId, out var batch))
            {
                return false;
            }

            members = new HashSet<string>(batch.RecordIds, StringComparer.Ordinal);
            _members[batchId] = members;
        }

        return members.Contains(recordId);
    }

    /// <summary>Opens the store in <paramref name="folder"/>; a folder that does not exist yet is an empty store.</summary>
    /// <exception cref="CurationException">A store file is damaged; the message names the file and line.</exception>
    public static DecisionStore Open(string folder)
    {
        var store = new DecisionStore(Path.GetFullPath(folder));
        ReadLines(Path.Combine(store.Folder, DecisionsFile), (line, where) =>
        {
            var decision = DecisionJson.ReadDecision(line, where);
            store._latest[decision.RecordId] = decision;
        });
        ReadLines(Path.Combine(store.Folder, BatchesFile), (line, where) => store.Remember(DecisionJson.ReadBatch(line, where)));
        ReadLines(Path.Combine(store.Folder, PreferencesFile), (line, where) =>
        {
            var preference = DecisionJson.ReadPreference(line, where);
            store._preferences[preference.Key] = preference;
        });

        return store;
    }

    /// <summary>Appends the decisions that differ from the ones in force, all or none.</summary>
    public StoreUpdate Add(IReadOnlyList<ReviewDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var fresh = new List<ReviewDecision>();
        int added = 0, changed = 0, unchanged = 0;
        var pending = new Dictionary<string, ReviewDecision>(_latest, StringComparer.Ordinal);
        foreach (var decision in decisions)
        {
            if (pending.TryGetValue(decision.RecordId, out var current))
            {
                if (current.SameDecisionAs(decision))
                {
                    unchanged++;
                    continue;
                }

                changed++;
            }
            else
            {
                added++;
            }

            pending[decision.RecordId] = decision;
            fresh.Add(decision);
        }

        if (fresh.Count > 0)
        {
            Append(DecisionsFile, fresh.Select(d => DecisionJson.ToLine(writer => DecisionJson.Write(writer, d))));
            foreach (var decision in fresh)
            {
                _latest[decision.RecordId] = decision;
            }
        }

        return new StoreUpdate(added, changed, unchanged);
    }

    /// <summary>Appends the preferences that differ from the ones in force, all or none.</summary>
    public StoreUpdate AddPreferences(IReadOnlyList<PreferencePair> preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        var fresh = new List<PreferencePair>();
        int added = 0, changed = 0, unchanged = 0;
        var pending = new Dictionary<string, PreferencePair>(_preferences, StringComparer.Ordinal);
        foreach (var preference in preferences)
        {
            if (pending.TryGetValue(preference.Key, out var current))
            {
                if (current.SamePreferenceAs(preference))
                {
                    unchanged++;
                    continue;
                }

                changed++;
            }
            else
            {
                added++;
            }

            pending[preference.Key] = preference;
            fresh.Add(preference);
        }

        if (fresh.Count > 0)
        {
            Append(PreferencesFile, fresh.Select(p => DecisionJson.ToLine(writer => DecisionJson.Write(writer, p))));
            foreach (var preference in fresh)
            {
                _preferences[preference.Key] = preference;
            }
        }

        return new StoreUpdate(added, changed, unchanged);
    }

    /// <summary>Remembers an export; exporting the same selection again is a no-op.</summary>
    public void AddBatch(ReviewBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_batches.ContainsKey(batch.Id))
        {
            return;
        }

        Append(BatchesFile, [DecisionJson.ToLine(writer => DecisionJson.Write(writer, batch))]);
        Remember(batch);
    }

    private void Remember(ReviewBatch batch)
    {
        _batches[batch.Id] = batch;
        _exported.UnionWith(batch.RecordIds);
    }

    private void Append(string fileName, IEnumerable<byte[]> lines)
    {
        var path = Path.Combine(Folder, fileName);
        AtomicFile.Write(path, output =>
        {
            if (File.Exists(path))
            {
                using var existing = File.OpenRead(path);
                existing.CopyTo(output);
                if (existing.Length > 0 && !EndsWithNewline(existing))
                {
                    output.WriteByte((byte)'\n');
                }
            }

            foreach (var line in lines)
            {
                output.Write(line);
                output.WriteByte((byte)'\n');
            }
        });
    }

    private static bool EndsWithNewline(FileStream stream)
    {
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    // Lines are parsed from UTF-8 as they are, each document released once read: a store of a hundred thousand
    // decisions opens in a fraction of a second.
    private static void ReadLines(string path, Action<JsonElement, string> read)
    {
        if (!File.Exists(path))
        {
            return;
        }

        ReadOnlyMemory<byte> bytes = File.ReadAllBytes(path);
        var shown = Curation.Core.Files.DisplayPath.For(path);
        var number = 0;
        while (!bytes.IsEmpty)
        {
            number++;
            var end = bytes.Span.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? ReadOnlyMemory<byte>.Empty : bytes[(end + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new CurationException(
                    string.Create(CultureInfo.InvariantCulture, $"{shown}:{number}: the review store is damaged: not valid JSON ({ex.Message})"), ex);
            }

            using (document)
            {
                read(document.RootElement, string.Create(CultureInfo.InvariantCulture, $"{shown}:{number}"));
            }
        }
    }
}
