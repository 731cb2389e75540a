using System.Text;
using System.Text.Json;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Filters.Pii;

/// <summary>
/// Finds e-mail addresses, phone numbers, IPv4 and IPv6 addresses, payment card numbers (Luhn-checked), IBANs
/// (checksum-checked), API keys and private keys in every turn, and replaces each with a token or rejects the record.
/// Reports how many of each kind it found.
/// </summary>
internal sealed class PiiStage : IMergeableReport
{
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_spans;

    private readonly PiiAction _action;
    private readonly PiiDetector[] _detectors;
    private readonly Dictionary<PiiKind, string> _replacements;
    private readonly long[] _found = new long[Enum.GetValues<PiiKind>().Length];
    private long _records;

    public PiiStage(PiiOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _action = options.Action;
        var kinds = options.Kinds?.Select(kind => PiiNames.TryParse(kind)!.Value).ToHashSet();
        _detectors = [.. PiiDetector.All.Where(detector => kinds is null || kinds.Contains(detector.Kind))];
        _replacements = Enum.GetValues<PiiKind>().ToDictionary(
            kind => kind,
            kind => options.Replacements.TryGetValue(PiiNames.Name(kind), out var token) ? token : PiiNames.DefaultReplacement(kind));
    }

    /// <summary>The reject rule of each kind with <c>action: reject</c>: <c>pii-</c> and the kind in kebab-case (<c>pii-credit-card</c>).</summary>
    public static IReadOnlyList<string> Rules { get; } = [.. Enum.GetValues<PiiKind>().Select(RuleFor)];

    public string Name { get; }

    public static string RuleFor(PiiKind kind) => $"pii-{PiiNames.Name(kind).Replace('_', '-')}";

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Message[]? changed = null;
        for (var i = 0; i < record.Messages.Length; i++)
        {
            var content = record.Messages[i].Content;
            var digits = DigitRuns.Of(content);
            foreach (var detector in _detectors)
            {
                var spans = t_spans ??= [];
                spans.Clear();
                detector.FindAll(content, digits, spans);
                if (spans.Count == 0)
                {
                    continue;
                }

                Interlocked.Add(ref _found[(int)detector.Kind], spans.Count);
                if (_action == PiiAction.Reject)
                {
                    Interlocked.Increment(ref _records);
                    return StageResult.Drop(RuleFor(detector.Kind), $"turn {i + 1} ({record.Messages[i].Role}) holds {spans.Count} {PiiNames.Name(detector.Kind)} ({Mask(content, spans[0])})");
                }

                content = Replace(content, spans, _replacements[detector.Kind]);
                digits = DigitRuns.Of(content);
            }

            if (!ReferenceEquals(content, record.Messages[i].Content))
            {
                changed ??= [.. record.Messages];
                changed[i] = record.Messages[i] with { Content = content };
            }
        }

        if (changed is null)
        {
            return StageResult.Keep(record);
        }

        Interlocked.Increment(ref _records);
        return StageResult.Keep(record with { Messages = [.. changed] });
    }

    public void Report(StageCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var found = string.Join(", ", Enum.GetValues<PiiKind>().Where(kind => _found[(int)kind] > 0).Select(kind => $"{PiiNames.Name(kind)} {_found[(int)kind]}"));
        counters.AddNote($"{(_action == PiiAction.Redact ? "redacted" : "rejected")} {_records} records; found {(found.Length == 0 ? "nothing" : found)}");
    }

    public JsonElement SaveFigures() => ReportFigures.Save(
        new PiiFigures(Interlocked.Read(ref _records), Enum.GetValues<PiiKind>().ToDictionary(PiiNames.Name, kind => Interlocked.Read(ref _found[(int)kind]))));

    public void AddFigures(JsonElement figures)
    {
        var added = ReportFigures.Read<PiiFigures>(figures, Name);
        Interlocked.Add(ref _records, added.Records);
        foreach (var (name, count) in added.Found)
        {
            var kind = PiiNames.TryParse(name) ?? throw new Core.CurationException($"stage '{Name}': saved figures name an unknown kind '{name}'");
            Interlocked.Add(ref _found[(int)kind], count);
        }
    }

    private static string Replace(string text, List<(int Start, int Length)> spans, string token)
    {
        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var (start, length) in spans)
        {
            result.Append(text, at, start - at).Append(token);
            at = start + length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    // The reject detail shows where, never the secret itself: first two and last two characters.
    private static string Mask(string text, (int Start, int Length) span) =>
        span.Length <= 6 ? new string('*', span.Length) : $"{text.AsSpan(span.Start, 2)}…{text.AsSpan(span.Start + span.Length - 2, 2)}";
}

/// <summary>What <see cref="PiiStage"/> reports, in a form that adds up across shard tasks: records changed and finds per kind.</summary>
internal sealed record PiiFigures(long Records, IReadOnlyDictionary<string, long> Found);
