using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;
using Curation.Review.Decisions;

namespace Curation.Review.Apply;

/// <summary>
/// Applies the reviewers' decisions on every run, by record id: a rejected record goes to the rejects with the
/// reviewers and their reason; an accepted one passes with its corrected answer (checked again by the validate rules)
/// and a <c>review</c> note in its metadata; a record an earlier stage rejected comes back when reviewers accepted it
/// and it passes the validate rules (see <see cref="ReviewValidation"/>), else it keeps its reject, whose detail then
/// says why it was not restored. Records sent to review without a decision yet follow the unreviewed policy. Each
/// envelope is decided from itself and the store alone, so shard tasks run the stage on their own shards; its summary
/// is made of counts and the set of decisions applied, which add up across shards (<see cref="IEnvelopeStage"/>).
/// </summary>
internal sealed class ApplyReviewStage(ApplyReviewOptions options, DecisionStore store, string name) : IEnvelopeStage, IStageFiles
{
    public IEnumerable<PlannedOutput> Writes => [];

    public IEnumerable<PlannedRead> Reads => [PlannedRead.ForStage(Name, "store", store.Folder, isFolder: true)];

    public const string ReviewerRejectedRule = "reviewer-rejected";
    public const string InvalidCorrectionRule = "invalid-correction";
    public const string UnreviewedRule = "unreviewed";
    public const string HeldRule = "held-for-review";
    public const string MetadataKey = "review";

    private readonly ReviewValidation _validation = new();
    private readonly SortedDictionary<string, long> _restoredFrom = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _notRestored = new(StringComparer.Ordinal);
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);
    private long _accepted;
    private long _corrected;
    private long _rejected;
    private long _unreviewed;

    public string Name { get; } = name;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = new Envelope[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                result[i] = batch[i].Record is { } record ? Apply(batch[i].Sequence, record) : Reconsider(batch[i], context);
            }

            await output.WriteAsync(result, cancellationToken).ConfigureAwait(false);
        }

        Report(context.Counters);
    }

    public void Report(StageCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        counters.AddNote(Summary());
    }

    public JsonElement SaveFigures() => ReportFigures.Save(new Figures(
        _accepted, _corrected, _rejected, _unreviewed, new(_restoredFrom, StringComparer.Ordinal), new(_notRestored, StringComparer.Ordinal), [.. _applied.Order(StringComparer.Ordinal)]));

    // A decision's record may be applied in more than one shard (an id used twice: kept once, rejected as a
    // duplicate id once), so the decisions applied are kept as a set, not a count.
    public void AddFigures(JsonElement figures)
    {
        var added = ReportFigures.Read<Figures>(figures, Name);
        _accepted += added.Accepted;
        _corrected += added.Corrected;
        _rejected += added.Rejected;
        _unreviewed += added.Unreviewed;
        foreach (var (from, count) in added.RestoredFrom)
        {
            _restoredFrom[from] = _restoredFrom.GetValueOrDefault(from) + count;
        }

        foreach (var (rule, count) in added.NotRestored)
        {
            _notRestored[rule] = _notRestored.GetValueOrDefault(rule) + count;
        }

        _applied.UnionWith(added.Applied);
    }

    private Envelope Apply(long sequence, ChatRecord record)
    {
        if (!store.Decisions.TryGetValue(record.Id, out var decision))
        {
            return Unreviewed(sequence, record);
        }

        _applied.Add(record.Id);
        if (decision.Verdict == Verdict.Reject)
        {
            _rejected++;
            return Envelope.Rejected(sequence, new Reject(Name, ReviewerRejectedRule, RejectDetail(decision), record.Source) { Record = record });
        }

        var (accepted, problem) = Accept(record, decision, earlier: null);
        if (problem is not null)
        {
            return Envelope.Rejected(sequence, new Reject(Name, InvalidCorrectionRule, problem.Text, record.Source) { Record = record });
        }

        _accepted++;
        return Envelope.Kept(sequence, accepted!);
    }

    // A record an earlier stage rejected comes back only when reviewers accepted it and it is a valid conversation
    // (corrected or not); otherwise its reject stays, stage and rule as they were, so the counts still balance.
    private Envelope Reconsider(Envelope envelope, StageContext context)
    {
        var reject = envelope.Reject!;
        if (reject.Record is not { } record || !store.Decisions.TryGetValue(record.Id, out var decision))
        {
            return envelope;
        }

        _applied.Add(record.Id);
        if (!options.Restore || decision.Verdict != Verdict.Accept)
        {
            return envelope;
        }

        var (accepted, problem) = Accept(record, decision, reject);
        if (problem is not null)
        {
            _notRestored[problem.Rule] = _notRestored.GetValueOrDefault(problem.Rule) + 1;
            return Envelope.Rejected(envelope.Sequence, reject with { Detail = $"{reject.Detail}; accepted in review but not restored: {problem.Text}" });
        }

        var from = $"{reject.Stage}/{reject.Rule}";
        _accepted++;
        _restoredFrom[from] = _restoredFrom.GetValueOrDefault(from) + 1;
        context.Counters.AddRestored();
        return Envelope.Kept(envelope.Sequence, accepted!);
    }

    // A kept record passed the run's stages as it is: only a correction can break it. A rejected one is checked
    // whole, corrected or not, since its reject may be the very defect the validate rules look for.
    private (ChatRecord? Record, ValidationProblem? Problem) Accept(ChatRecord record, ReviewDecision decision, Reject? earlier)
    {
        var corrected = ReviewedRecord.Corrected(record, decision);
        if (decision.Corrects || earlier is not null)
        {
            var check = _validation.Check(corrected, earlier?.Rule);
            if (!check.IsKept)
            {
                var what = decision.Corrects ? "the reviewers' correction fails validation" : "it still fails validation";
                return (null, new ValidationProblem(check.Rule!, $"{what}: {check.Rule}: {check.Detail}"));
            }
        }

        if (decision.Corrects)
        {
            _corrected++;
        }

        var restoredFrom = earlier is null ? null : $"{earlier.Stage}/{earlier.Rule}";
        return (corrected with { Metadata = corrected.Metadata.SetItem(MetadataKey, Mark(decision, restoredFrom)) }, null);
    }

    private Envelope Unreviewed(long sequence, ChatRecord record)
    {
        var inScope = options.UnreviewedScope == UnreviewedScope.All || store.ExportedIds.Contains(record.Id);
        if (!inScope || options.Unreviewed == UnreviewedPolicy.Keep)
        {
            return Envelope.Kept(sequence, record);
        }

        _unreviewed++;
        var (rule, detail) = options.Unreviewed == UnreviewedPolicy.Hold
            ? (HeldRule, "no review decision yet; held until one is imported")
            : (UnreviewedRule, "no review decision; unreviewed records are dropped");
        return Envelope.Rejected(sequence, new Reject(Name, rule, detail, record.Source) { Record = record });
    }

    private static JsonElement Mark(ReviewDecision decision, string? restoredFrom)
    {
        var buffer = DecisionJson.ToLine(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("verdict", "accept");
            writer.WriteStartArray("reviewers");
            foreach (var reviewer in decision.Reviewers)
            {
                writer.WriteStringValue(reviewer);
            }

            writer.WriteEndArray();
            writer.WriteNumber("agreement", Math.Round(decision.Agreement, 4));
            if (decision.Rating is { } rating)
            {
                writer.WriteNumber("rating", Math.Round(rating, 3));
            }

            if (decision.Corrects)
            {
                writer.WriteBoolean("corrected", true);
            }

            if (restoredFrom is not null)
            {
                writer.WriteString("restored_from", restoredFrom);
            }

            writer.WriteEndObject();
        });
        using var document = JsonDocument.Parse(buffer);
        return document.RootElement.Clone();
    }

    private static string RejectDetail(ReviewDecision decision)
    {
        var who = decision.Reviewers.IsEmpty ? "reviewers" : string.Join(", ", decision.Reviewers);
        var votes = decision.AcceptVotes + decision.RejectVotes > 1
            ? string.Create(CultureInfo.InvariantCulture, $" ({decision.RejectVotes} of {decision.AcceptVotes + decision.RejectVotes} votes{(decision.Tie is null ? string.Empty : $", tie {decision.Tie}")})")
            : string.Empty;
        return $"rejected by {who}{votes}{(decision.Reason is { } reason ? ": " + reason : string.Empty)}";
    }

    private string Summary()
    {
        var culture = CultureInfo.InvariantCulture;
        var restored = _restoredFrom.Count == 0 ? "none" : string.Join(", ", _restoredFrom.Select(r => string.Create(culture, $"{r.Key} {r.Value}")));
        var text = string.Create(
            culture,
            $"{store.Decisions.Count} decisions in {store.DisplayFolder}; applied: {_accepted} accepted ({_corrected} corrected), {_rejected} rejected; restored from earlier stages: {restored}; unreviewed exported records {(options.Unreviewed == UnreviewedPolicy.Keep ? "kept" : $"{(options.Unreviewed == UnreviewedPolicy.Drop ? "dropped" : "held")}: {_unreviewed}")}");
        if (_notRestored.Count > 0)
        {
            text += string.Create(
                culture,
                $"; {_notRestored.Values.Sum()} accepted records left rejected, failing validation: {string.Join(", ", _notRestored.Select(r => string.Create(culture, $"{r.Key} {r.Value}")))}");
        }

        var unseen = store.Decisions.Keys.Count(id => !_applied.Contains(id));
        return unseen > 0 ? text + string.Create(culture, $"; {unseen} decisions for records this run did not reach (rejected before a stage that could restore them, or no longer in the input)") : text;
    }

    private sealed record ValidationProblem(string Rule, string Text);

    private sealed record Figures(
        long Accepted, long Corrected, long Rejected, long Unreviewed, Dictionary<string, long> RestoredFrom, Dictionary<string, long> NotRestored, IReadOnlyList<string> Applied);
}
