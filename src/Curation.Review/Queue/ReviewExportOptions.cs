using System.ComponentModel.DataAnnotations;

namespace Curation.Review.Queue;

/// <summary>Options of the <c>review-export</c> stage: which records go to review, for which tool, and where.</summary>
public sealed class ReviewExportOptions : IValidatableObject
{
    /// <summary>The review store folder, relative to the pipeline file; the export's batch is recorded there.</summary>
    [Required]
    public string? Store { get; init; }

    public ReviewTool Tool { get; init; } = ReviewTool.LabelStudio;

    /// <summary>Folder for the export, relative to the output folder.</summary>
    public string Dir { get; init; } = "review";

    /// <summary>Dataset name in Argilla; default the stage's name.</summary>
    public string? Dataset { get; init; }

    /// <summary>Size of a seeded random sample of kept and rejected records (0: none).</summary>
    [Range(0, int.MaxValue)]
    public int Random { get; init; }

    public Stratify Stratify { get; init; } = Stratify.None;

    /// <summary>Records whose score lies within <see cref="ScoreMargin"/> of this cut (null: none).</summary>
    [Range(0.0, 1.0)]
    public double? ScoreCut { get; init; }

    [Range(0.0, 1.0)]
    public double ScoreMargin { get; init; } = 0.1;

    [Range(1, int.MaxValue)]
    public int ScoreSize { get; init; } = 100;

    public string ScoreField { get; init; } = "quality_score";

    /// <summary>Rejects of these rules or stages.</summary>
    public List<string> Rules { get; init; } = [];

    [Range(1, int.MaxValue)]
    public int RulesSize { get; init; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Random == 0 && ScoreCut is null && Rules.Count == 0)
        {
            yield return new ValidationResult("choose what to review: random, score_cut or rules", [nameof(Random)]);
        }
    }

    /// <summary>The selectors these options describe.</summary>
    public ReviewSelection Selection(long seed)
    {
        var selectors = new List<ReviewSelector>();
        if (Random > 0)
        {
            selectors.Add(new RandomSelector(Random, Stratify, seed));
        }

        if (ScoreCut is { } cut)
        {
            selectors.Add(new ScoreBandSelector(ScoreField, cut, ScoreMargin, ScoreSize, seed));
        }

        if (Rules.Count > 0)
        {
            selectors.Add(new RuleSelector(Rules, RulesSize, seed));
        }

        return new ReviewSelection(selectors, ScoreField);
    }
}
