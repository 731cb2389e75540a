using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;
using Curation.Review.Decisions;

namespace Curation.Review.Import;

/// <summary>What an import yields: the decisions and preferences to store and the figures about them.</summary>
public sealed record ImportResult(IReadOnlyList<ReviewDecision> Decisions, ImportReport Report)
{
    public IReadOnlyList<PreferencePair> Preferences { get; init; } = [];
}

/// <summary>
/// Turns reviewed tasks into decisions: each counted response votes accept or reject (a ground-truth response settles
/// the task), the majority wins, ties follow the schema's rule; in a pair task the side the majority chose is also a
/// preference. Checks every task against the store first, so an export from another project, a missing id or an answer
/// outside the questions' values stops the import before anything is stored.
/// </summary>
public sealed class DecisionBuilder(ReviewSchema schema, DecisionStore store, string tool, string file)
{
    public ImportResult Build(IEnumerable<ReviewedTask> tasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var tally = new Tally();
        var decisions = new List<ReviewDecision>();
        var preferences = new List<PreferencePair>();
        foreach (var task in tasks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            tally.Tasks++;
            tally.Drafts += task.Drafts;
            foreach (var response in task.Responses)
            {
                tally.Count(response);
            }

            RequireKnownQuestions(task);
            var counted = task.Responses.Where(r => r.Status == ResponseStatus.Submitted).OrderBy(r => r.Reviewer, StringComparer.Ordinal).ToList();
            var batch = BatchOf(task);
            if (task.Data.ContainsKey(schema.LeftIdField) || task.Data.ContainsKey(schema.RightIdField))
            {
                var (left, right) = (RequiredString(task, schema.LeftIdField), RequiredString(task, schema.RightIdField));
                CheckInBatch(task, batch, left);
                CheckInBatch(task, batch, right);
                var votes = counted.Select(r => PairVote(task, r)).OfType<PairAnswer>().ToList();
                if (schema.Pairwise == PairwiseUse.Keep)
                {
                    AddDecision(decisions, tally, task, batch, left, [.. votes.Select(v => new Vote(
                        v.Response, v.Left, null, null, v.Left == Verdict.Reject ? $"{PairedWith(right)}: reviewer kept the other" : null))]);
                    AddDecision(decisions, tally, task, batch, right, [.. votes.Select(v => new Vote(
                        v.Response, v.Right, null, null, v.Right == Verdict.Reject ? $"{PairedWith(left)}: reviewer kept the other" : null))]);
                }

                AddPreference(preferences, tally, task, batch, left, right, votes);
                continue;
            }

            var id = RequiredString(task, schema.IdField);
            CheckInBatch(task, batch, id);
            var recordVotes = counted.Select(r => RecordVote(task, r)).OfType<Vote>().ToList();
            AddDecision(decisions, tally, task, batch, id, recordVotes, counted);
        }

        return new ImportResult(decisions, tally.Report(schema.Ties)) { Preferences = preferences };
    }

    // Our own pairs are near-duplicates; another project's are any two records shown side by side.
    private string PairedWith(string other) => schema.Foreign ? $"paired with {other}" : $"near-duplicate of {other}";

    // The side the counted responses chose, by majority, a ground-truth response settling it; none when reviewers
    // found the two distinct, chose no side, or split evenly.
    private void AddPreference(List<PreferencePair> preferences, Tally tally, ReviewedTask task, string? batch, string left, string right, List<PairAnswer> votes)
    {
        var sided = votes.Where(v => v.Chosen is not null).ToList();
        var leftVotes = sided.Count(v => v.Chosen == Side.Left);
        var rightVotes = sided.Count - leftVotes;
        var chosen = sided.FirstOrDefault(v => v.Response.GroundTruth)?.Chosen
            ?? (leftVotes > rightVotes ? Side.Left : rightVotes > leftVotes ? Side.Right : null);
        if (chosen is null)
        {
            tally.PairsWithoutPreference++;
            return;
        }

        tally.Preferences++;
        var (chosenVotes, otherVotes) = chosen == Side.Left ? (leftVotes, rightVotes) : (rightVotes, leftVotes);
        preferences.Add(new PreferencePair
        {
            Chosen = chosen == Side.Left ? left : right,
            Rejected = chosen == Side.Left ? right : left,
            Reviewers = [.. sided.Select(v => v.Response.Reviewer).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            ChosenVotes = chosenVotes,
            RejectedVotes = otherVotes,
            Agreement = (double)chosenVotes / sided.Count,
            Batch = batch,
            Tool = tool,
            File = file,
            Task = task.TaskId,
        });
    }

    private void AddDecision(List<ReviewDecision> decisions, Tally tally, ReviewedTask task, string? batch, string id, List<Vote> votes, List<ReviewerResponse>? rated = null)
    {
        var ratings = (rated ?? []).Select(r => r.Answers.TryGetValue(schema.Rating, out var a) ? CheckedRating(task, r, a) : null).OfType<double>().ToList();
        if (votes.Count == 0)
        {
            tally.Undecided++;
            return;
        }

        var accepts = votes.Count(v => v.Verdict == Verdict.Accept);
        var rejects = votes.Count - accepts;
        Verdict verdict;
        string? tie = null;
        var groundTruth = votes.FirstOrDefault(v => v.Response.GroundTruth);
        if (groundTruth is not null)
        {
            verdict = groundTruth.Verdict;
            tally.GroundTruth++;
        }
        else if (accepts != rejects)
        {
            verdict = accepts > rejects ? Verdict.Accept : Verdict.Reject;
        }
        else
        {
            tally.Ties++;
            if (schema.Ties == TieRule.Skip)
            {
                tally.Undecided++;
                return;
            }

            verdict = schema.Ties == TieRule.Accept ? Verdict.Accept : Verdict.Reject;
            tie = string.Create(CultureInfo.InvariantCulture, $"{accepts}-{rejects}, settled as {verdict.ToString().ToLowerInvariant()}");
        }

        var winners = votes.Where(v => v.Verdict == verdict).ToList();
        var correction = verdict == Verdict.Accept ? MostCommon(winners.Select(v => v.Correction)) : null;
        var conversation = verdict == Verdict.Accept ? winners.Select(v => v.Conversation).FirstOrDefault(c => c is not null) : null;
        var reasons = winners.Select(v => v.Reason).OfType<string>().Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        tally.Record(verdict, correction is not null || conversation is not null, accepts, rejects);
        decisions.Add(new ReviewDecision
        {
            RecordId = id,
            Verdict = verdict,
            Correction = correction,
            Conversation = conversation,
            Rating = ratings.Count > 0 ? ratings.Average() : null,
            Reason = reasons.Count > 0 ? string.Join(" | ", reasons) : null,
            Reviewers = [.. votes.Select(v => v.Response.Reviewer).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            AcceptVotes = accepts,
            RejectVotes = rejects,
            Agreement = (double)winners.Count / votes.Count,
            Tie = tie,
            Batch = batch,
            Tool = tool,
            File = file,
            Task = task.TaskId,
        });
    }

    private Vote? RecordVote(ReviewedTask task, ReviewerResponse response)
    {
        var answers = response.Answers;
        var reason = answers.TryGetValue(schema.Reason, out var reasonAnswer) ? string.Join("\n", reasonAnswer.Texts).Trim() : null;
        var correction = answers.TryGetValue(schema.Correction, out var correctionAnswer) ? Correction(task, correctionAnswer) : null;
        ImmutableArray<Message>? conversation = schema.Chat is { } chat && answers.TryGetValue(chat, out var chatAnswer) && !chatAnswer.Chat.IsEmpty ? chatAnswer.Chat : null;
        if (answers.TryGetValue(schema.Decision, out var decision) && (decision.Choices.Length > 0 || decision.Texts.Length > 0))
        {
            var values = decision.Choices.Length > 0 ? decision.Choices : decision.Texts;
            if (values.Length != 1)
            {
                throw Problem(task, response, $"'{schema.Decision}' has {values.Length} choices ({string.Join(", ", values)}); expected one of {Expected()}");
            }

            var value = values[0];
            var verdict = schema.AcceptValues.Contains(value) ? Verdict.Accept
                : schema.RejectValues.Contains(value) ? Verdict.Reject
                : throw Problem(task, response, $"'{schema.Decision}' is '{value}'; expected one of {Expected()}");
            return new Vote(response, verdict, verdict == Verdict.Accept ? correction : null, verdict == Verdict.Accept ? conversation : null, reason);
        }

        // A reviewer who only kept or edited the pre-filled answer (or wrote the chat) accepted it.
        if (correctionAnswer is not null || conversation is not null)
        {
            return new Vote(response, Verdict.Accept, correction, conversation, reason);
        }

        return null;
    }

    private PairAnswer? PairVote(ReviewedTask task, ReviewerResponse response)
    {
        string? same = null;
        if (response.Answers.TryGetValue(schema.Duplicate, out var duplicate) && duplicate.Choices.Length + duplicate.Texts.Length > 0)
        {
            same = duplicate.Choices.Length > 0 ? duplicate.Choices[0] : duplicate.Texts[0];
            if (same is not (ReviewSchema.Duplicated or ReviewSchema.Distinct))
            {
                throw Problem(task, response, $"'{schema.Duplicate}' is '{same}'; expected {ReviewSchema.Duplicated} or {ReviewSchema.Distinct}");
            }
        }

        Side? keep = null;
        if (response.Answers.TryGetValue(schema.Keep, out var keepAnswer) && (keepAnswer.Selected ?? keepAnswer.Choices.FirstOrDefault()) is { } selected)
        {
            keep = selected == schema.LeftValue ? Side.Left
                : selected == schema.RightValue ? Side.Right
                : throw Problem(task, response, $"'{schema.Keep}' is '{selected}'; expected {schema.LeftValue} or {schema.RightValue}");
        }

        return (same, keep) switch
        {
            (ReviewSchema.Distinct, _) => new PairAnswer(response, Verdict.Accept, Verdict.Accept, null),
            (null, null) => null,
            (_, Side.Right) => new PairAnswer(response, Verdict.Reject, Verdict.Accept, Side.Right),
            (_, Side.Left) => new PairAnswer(response, Verdict.Accept, Verdict.Reject, Side.Left),

            // Duplicates with no side chosen: the pipeline's choice (left) stands, but nobody preferred it.
            _ => new PairAnswer(response, Verdict.Accept, Verdict.Reject, null),
        };
    }

    private string? Correction(ReviewedTask task, Answer answer)
    {
        if (answer.Origin == "prediction" || answer.Texts.IsEmpty)
        {
            return null;
        }

        var text = string.Join("\n", answer.Texts);
        var original = task.Data.TryGetValue(schema.OriginalResponseField, out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;
        return original is not null && string.Equals(original.Trim(), text.Trim(), StringComparison.Ordinal) ? null : text;
    }

    private double? CheckedRating(ReviewedTask task, ReviewerResponse response, Answer answer) => answer.Rating switch
    {
        null => null,
        >= 1 and <= 5 and var rating => rating,
        var rating => throw Problem(task, response, string.Create(CultureInfo.InvariantCulture, $"'{schema.Rating}' is {rating}; expected 1 to 5")),
    };

    private string? BatchOf(ReviewedTask task)
    {
        if (schema.Foreign)
        {
            return null;
        }

        if (!task.Data.TryGetValue(schema.BatchField, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new CurationException(
                $"{task.Where}: '{schema.BatchField}' is missing: this task was not exported by 'curate review export' to this store (to read another project's export, name its id field with --id-field)");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new CurationException($"{task.Where}: field '{schema.BatchField}': expected the batch id (a string), got {ExportFile.Describe(value)}");
        }

        var batch = value.GetString()!;
        return store.Batches.ContainsKey(batch)
            ? batch
            : throw new CurationException(
                $"{task.Where}: batch '{batch}' is not in the review store {store.DisplayFolder}: an export from another project or store? ({store.Batches.Count} batches known)");
    }

    private void CheckInBatch(ReviewedTask task, string? batch, string id)
    {
        if (batch is not null && !store.InBatch(batch, id))
        {
            throw new CurationException($"{task.Where}: record '{id}' was not exported in batch '{batch}': the task was changed or comes from another export");
        }
    }

    private static string RequiredString(ReviewedTask task, string field)
    {
        if (!task.Data.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
        {
            throw new CurationException($"{task.Where}: '{field}' is missing: expected the record id in the task's data");
        }

        return value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : throw new CurationException($"{task.Where}: field '{field}': expected the record id (a string or a number), got {ExportFile.Describe(value)}");
    }

    // A task answered, but none of its answers is to a question this import reads: the export is another project's.
    private void RequireKnownQuestions(ReviewedTask task)
    {
        var answered = task.Responses.SelectMany(r => r.Answers.Keys).ToHashSet(StringComparer.Ordinal);
        if (answered.Count > 0 && !schema.Questions.Any(answered.Contains))
        {
            throw new CurationException(
                $"{task.Where}: no answer to any of the questions {string.Join(", ", schema.Questions)}; the task answers {string.Join(", ", answered.Order(StringComparer.Ordinal))}: an export from another project? (map its questions with --decision-question and the like)");
        }
    }

    private string Expected() => string.Join(", ", schema.AcceptValues.Concat(schema.RejectValues));

    private static CurationException Problem(ReviewedTask task, ReviewerResponse response, string what) =>
        new($"{task.Where}, response by {response.Reviewer}: {what}");

    private static string? MostCommon(IEnumerable<string?> values) =>
        values.OfType<string>().GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    private sealed record Vote(ReviewerResponse Response, Verdict Verdict, string? Correction, ImmutableArray<Message>? Conversation, string? Reason);

    private enum Side
    {
        Left,
        Right,
    }

    /// <summary>One response to a pair: the verdict for each record and the side it chose, if it chose one.</summary>
    private sealed record PairAnswer(ReviewerResponse Response, Verdict Left, Verdict Right, Side? Chosen);

    private sealed class Tally
    {
        private double _pairAgreement;
        private double _shareAgreement;
        private int _accepted;
        private int _rejected;
        private int _corrected;
        private int _counted;
        private int _discarded;
        private int _cancelled;
        private int _rejectedInReview;
        private int _unstatedDrafts;
        private int _multi;
        private int _unanimous;

        public int Tasks { get; set; }

        public int Drafts { get; set; }

        public int Undecided { get; set; }

        public int Ties { get; set; }

        public int GroundTruth { get; set; }

        public int Preferences { get; set; }

        public int PairsWithoutPreference { get; set; }

        public void Count(ReviewerResponse response)
        {
            if (response is { Status: ResponseStatus.Draft, StatusUnstated: true })
            {
                _unstatedDrafts++;
            }

            switch (response.Status)
            {
                case ResponseStatus.Submitted: _counted++; break;
                case ResponseStatus.Draft: Drafts++; break;
                case ResponseStatus.Discarded: _discarded++; break;
                case ResponseStatus.Cancelled: _cancelled++; break;
                case ResponseStatus.RejectedInReview: _rejectedInReview++; break;
            }
        }

        public void Record(Verdict verdict, bool corrected, int accepts, int rejects)
        {
            if (verdict == Verdict.Accept)
            {
                _accepted++;
            }
            else
            {
                _rejected++;
            }

            if (corrected)
            {
                _corrected++;
            }

            var votes = accepts + rejects;
            if (votes >= 2)
            {
                _multi++;
                if (accepts == 0 || rejects == 0)
                {
                    _unanimous++;
                }

                var pairs = votes * (votes - 1) / 2.0;
                _pairAgreement += ((accepts * (accepts - 1) / 2.0) + (rejects * (rejects - 1) / 2.0)) / pairs;
                _shareAgreement += (double)Math.Max(accepts, rejects) / votes;
            }
        }

        public ImportReport Report(TieRule ties) => new()
        {
            Tasks = Tasks,
            CountedResponses = _counted,
            Drafts = Drafts,
            DraftsWithoutStatus = _unstatedDrafts,
            Discarded = _discarded,
            Cancelled = _cancelled,
            RejectedInReview = _rejectedInReview,
            Accepted = _accepted,
            Rejected = _rejected,
            Corrected = _corrected,
            Undecided = Undecided,
            Ties = Ties,
            TieRule = ties,
            MultiReviewed = _multi,
            Unanimous = _unanimous,
            PairwiseAgreement = _multi > 0 ? _pairAgreement / _multi : null,
            MeanAgreement = _multi > 0 ? _shareAgreement / _multi : null,
            GroundTruth = GroundTruth,
            Preferences = Preferences,
            PairsWithoutPreference = PairsWithoutPreference,
        };
    }
}
