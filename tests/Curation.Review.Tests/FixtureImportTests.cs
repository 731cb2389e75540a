using Curation.Core;
using Curation.Review.Decisions;
using Curation.Review.Import;
using Curation.Review.LabelStudio;
using Curation.TestKit;

namespace Curation.Review.Tests;

/// <summary>Real Label Studio exports from public repositories (../shared/fixtures/labeling); skipped where absent.</summary>
public sealed class FixtureImportTests
{
    private static string Fixture(string path)
    {
        var found = RepositoryPaths.SharedFixture(path);
        Skip.If(found is null, $"shared fixture {path} not found beside the repository (../shared/fixtures)");
        return found;
    }

    [SkippableFact]
    public void LsData_EditedPredictionIsACorrection_KeptPredictionIsNot_PredictionIdsAreRead()
    {
        var path = Fixture("label-studio-examples/ls_data.json");

        using var folder = new TempFolder();
        var schema = new ReviewSchema { IdField = "question", Foreign = true, Correction = "answer" };
        var (result, update) = ReviewImporter.Import(path, ExportSource.Auto, schema, DecisionStore.Open(folder.Path));

        Assert.Equal(4, update.Added);
        Assert.All(result.Decisions, d => Assert.Equal(Verdict.Accept, d.Verdict));
        var corrected = Assert.Single(result.Decisions, d => d.Corrects);
        Assert.Equal("Explain Einstein's theory of relativity in simple terms.", corrected.RecordId);
        Assert.EndsWith("bends space and time. LOL NERD", corrected.Correction, StringComparison.Ordinal);
        Assert.Equal("434978", corrected.Task);
        Assert.Equal(["1"], corrected.Reviewers.ToArray());
        Assert.Equal(1, result.Report.Corrected);
    }

    [SkippableFact]
    public void Humor_CompletedByEmail_NoTaskId_GroundTruthSettles()
    {
        var path = Fixture("label-studio/humor_dataset_2_annotations.json");

        using var folder = new TempFolder();
        var schema = new ReviewSchema { IdField = "text", Foreign = true, Decision = "sentiment", AcceptValues = ["Humor"], RejectValues = ["Not Humor"] };
        var (result, _) = ReviewImporter.Import(path, ExportSource.Auto, schema, DecisionStore.Open(folder.Path));

        Assert.Equal(2, result.Decisions.Count);
        Assert.All(result.Decisions, d => Assert.Equal(Verdict.Reject, d.Verdict));
        Assert.All(result.Decisions, d => Assert.Equal(["test_suites_user@heartex.com"], d.Reviewers.ToArray()));
        Assert.Equal(["1", "2"], result.Decisions.Select(d => d.Task));
        Assert.Equal(1, result.Report.GroundTruth);
    }

    [SkippableFact]
    public void ChatData_ChatMessagesBecomeTheConversation()
    {
        var path = Fixture("label-studio-sdk/chat_data.json");

        using var folder = new TempFolder();
        var schema = new ReviewSchema { IdField = "scenario_prompt", Foreign = true, Chat = "chat" };
        var (result, _) = ReviewImporter.Import(path, ExportSource.Auto, schema, DecisionStore.Open(folder.Path));

        var decision = Assert.Single(result.Decisions);
        Assert.Equal(Verdict.Accept, decision.Verdict);
        Assert.Equal(["user", "assistant", "user", "assistant"], decision.Conversation!.Value.Select(m => m.Role));
        Assert.Equal("hi", decision.Conversation.Value[0].Content);
        Assert.Equal(["test@example.com"], decision.Reviewers.ToArray());
    }

    [SkippableTheory]
    [InlineData("json-min")]
    [InlineData("csv")]
    [InlineData("tsv")]
    public void ChatData_AsTheConverterFlattensIt_GivesTheSameConversationAsTheFullExport(string format)
    {
        var path = Fixture("label-studio-sdk/chat_data.json");

        using var folder = new TempFolder();
        var flattened = format switch
        {
            "json-min" => LabelStudioConverter.JsonMin(path, folder.File("chat-min.json")),
            "csv" => LabelStudioConverter.Table(path, folder.File("chat.csv"), ','),
            _ => LabelStudioConverter.Table(path, folder.File("chat.tsv"), '\t'),
        };
        var schema = new ReviewSchema { IdField = "scenario_prompt", Foreign = true, Chat = "chat" };
        var (full, _) = ReviewImporter.Import(path, ExportSource.Auto, schema, DecisionStore.Open(folder.File("full")));

        var (result, update) = ReviewImporter.Import(flattened, ExportSource.Auto, schema, DecisionStore.Open(folder.File("store")));

        Assert.Equal(1, update.Added);
        Assert.Equal(0, result.Report.Undecided);
        var decision = Assert.Single(result.Decisions);
        Assert.Equal(Verdict.Accept, decision.Verdict);
        Assert.Equal(["user", "assistant", "user", "assistant"], decision.Conversation!.Value.Select(m => m.Role));
        Assert.Equal(full.Decisions[0].Conversation!.Value.ToArray(), decision.Conversation.Value.ToArray());
        Assert.Equal(["test@example.com"], decision.Reviewers.ToArray());
    }

    [SkippableFact]
    public void CsvTest_AnnotationsRejectedInReview_AreReadButNotCounted_AndItsQuestionsAreNotOurs()
    {
        var path = Fixture("label-studio-sdk/csv_test.json");

        var tasks = LabelStudioExportReader.Read(path, new ReviewSchema()).ToList();
        Assert.Equal(["1", "2"], tasks.Select(t => t.TaskId));
        Assert.All(tasks, t => Assert.Equal(ResponseStatus.RejectedInReview, Assert.Single(t.Responses).Status));
        Assert.All(tasks, t => Assert.Equal("hakan@heartex.com", t.Responses[0].Reviewer));
        Assert.Equal("prediction-changed", tasks[0].Responses[0].Answers["label"].Origin);

        using var folder = new TempFolder();
        var error = Assert.Throws<CurationException>(() => ReviewImporter.Import(path, ExportSource.Auto, new ReviewSchema(), DecisionStore.Open(folder.Path)));
        Assert.Equal(
            "csv_test.json: task 1: no answer to any of the questions decision, rating, correction, reason, duplicate, keep; the task answers label: an export from another project? (map its questions with --decision-question and the like)",
            error.Message);
        Assert.False(File.Exists(folder.File(DecisionStore.DecisionsFile)));
    }
}
