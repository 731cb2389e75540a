using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Classifier.Tests;

/// <summary>The <c>classifier</c> stage with the sample pipeline's model (trained on datasets-sample/labelled).</summary>
public sealed class ClassifierStageTests : StageContractTests
{
    private static readonly string SampleModel = Path.Combine(RepositoryPaths.Root, "datasets-sample", "labelled", "quality-model.zip");

    protected override StageRegistry Registry { get; } = new StageRegistry().AddClassifierStages();

    protected override string Kind => "classifier";

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    // Brush-offs of the kind the labelled set marks as drop.
    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("Write an email to Priya declining the invitation to the partnership call, and offer to send comments in writing.", "Not sure, try again later."),
        Chat.Record("Write an email to Łukasz declining the invitation to the vendor demo because of a release that afternoon.", "See the docs."),
    ];

    protected override IStage CreateStage() => FromRegistry(new ClassifierOptions { Model = SampleModel });

    [Fact]
    public Task Figures_OfShardTasks_AddUpToWhatOneRunReports() => AssertFiguresOfTwoHalvesReportAsOneRun();
}
