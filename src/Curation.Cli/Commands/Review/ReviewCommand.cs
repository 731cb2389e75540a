using System.CommandLine;

namespace Curation.Cli.Commands.Review;

/// <summary><c>curate review export|import|status|labels|pairs</c>: the human review loop around a pipeline's output.</summary>
internal static class ReviewCommand
{
    public static readonly Option<string> Store = new("--store")
    {
        Description = "Review store folder: exported batches and imported decisions (the apply-review stage's 'store').",
        Required = true,
    };

    public static Command Create() => new("review", "Human review: export records for Label Studio or Argilla, import reviewers' decisions, show the store, turn decisions into classifier labels or preference pairs.")
    {
        ReviewExportCommand.Create(),
        ReviewImportCommand.Create(),
        ReviewStatusCommand.Create(),
        ReviewLabelsCommand.Create(),
        ReviewPairsCommand.Create(),
    };
}
