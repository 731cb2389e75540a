using System.Text.RegularExpressions;
using Curation.Cli.Commands.Stages;
using Curation.Pipeline;
using Curation.TestKit;

namespace Curation.Cli.Tests.Commands;

public sealed class StagesCommandTests
{
    private static readonly IReadOnlyList<StageInfo> Stages = StageListing.Describe(StageCatalog.Create());

    [Fact]
    public async Task Stages_ListsEveryKind_WithItsParametersDefaultsAndRules()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("stages");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.StartsWith("Every stage also takes: name, workers.", output, StringComparison.Ordinal);
        foreach (var stage in Stages)
        {
            Assert.Contains($"\n{stage.Kind}: {stage.Description}\n", output, StringComparison.Ordinal);
            Assert.All(stage.Options, option => Assert.Matches($@"\n  {Regex.Escape(option.Name)} +{Regex.Escape(option.Default)}\n", output));
            Assert.Contains(stage.Rules.Count == 0 ? "reject rules: none" : "reject rules: " + string.Join(", ", stage.Rules), output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Stages_OneKind_ShowsOnlyThatKind()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("stages", "near-dedup");

        Assert.Equal(0, exitCode);
        Assert.Contains("\nnear-dedup: ", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  threshold +0\.8\n", output);
        Assert.DoesNotContain("\nexact-dedup: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stages_UnknownKind_IsAUsageErrorListingTheKinds()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("stages", "dedup");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("curate: unknown stage 'dedup'; valid stages: apply-review, c4-quality, ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreWrittenAsAPipelineFileWritesThem()
    {
        var pii = Stages.Single(stage => stage.Kind == "pii");
        var nearDedup = Stages.Single(stage => stage.Kind == "near-dedup");
        var reviewExport = Stages.Single(stage => stage.Kind == "review-export");

        Assert.Contains(new StageOptionInfo("action", "redact"), pii.Options);
        Assert.Contains(new StageOptionInfo("kinds", "none"), pii.Options);
        Assert.Contains(new StageOptionInfo("replacements", "{}"), pii.Options);
        Assert.Contains(new StageOptionInfo("memory_budget", "none"), nearDedup.Options);
        Assert.Contains(new StageOptionInfo("store", "required"), reviewExport.Options);
        Assert.Contains(new StageOptionInfo("tool", "label-studio"), reviewExport.Options);
        Assert.Contains(new StageOptionInfo("max_top_ngram_fraction", "[0.2, 0.18, 0.16]"), Stages.Single(stage => stage.Kind == "gopher-repetition").Options);
    }

    [Fact]
    public void KindsAndRules_AreKebabCase_AndNoRuleBelongsToTwoKindsByAccident()
    {
        Assert.All(Stages, stage => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", stage.Kind));
        Assert.All(Stages.SelectMany(stage => stage.Rules), rule => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", rule));
        // Only the two Unicode checks share a rule: normalize's is always on, validate's catches what arrives unnormalised.
        var shared = Stages.SelectMany(stage => stage.Rules.Select(rule => (stage.Kind, Rule: rule)))
            .GroupBy(pair => pair.Rule)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);
        Assert.Equal(["invalid-unicode"], shared);
    }

    [Fact]
    public void PipelineReference_DocumentsEveryKindParameterAndRule()
    {
        var reference = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "pipeline-reference.md"));
        var missing = new List<string>();
        var kindsLine = Regex.Match(reference, "^Registered kinds: (.+?)\\.$", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
        foreach (var stage in Stages)
        {
            if (!kindsLine.Contains($"`{stage.Kind}`", StringComparison.Ordinal))
            {
                missing.Add($"kind {stage.Kind} in 'Registered kinds'");
            }

            var section = SectionOf(reference, stage.Kind);
            if (section is null)
            {
                missing.Add($"a '#### ... `{stage.Kind}`' section");
                continue;
            }

            missing.AddRange(stage.Options
                .Where(option => !Regex.IsMatch(section, $"`{Regex.Escape(option.Name)}[`:]"))
                .Select(option => $"parameter {option.Name} in the {stage.Kind} section"));
            missing.AddRange(stage.Rules
                .Where(rule => !reference.Contains($"`{rule}`", StringComparison.Ordinal))
                .Select(rule => $"rule {rule} of {stage.Kind}"));
        }

        Assert.True(missing.Count == 0, "docs/pipeline-reference.md lacks: " + string.Join("; ", missing));
    }

    /// <summary>The text under the level-4 heading that names the kind in backquotes, up to the next heading of that level or above.</summary>
    private static string? SectionOf(string reference, string kind)
    {
        var heading = Regex.Match(reference, $@"^#### .*`{Regex.Escape(kind)}`.*$", RegexOptions.Multiline);
        if (!heading.Success)
        {
            return null;
        }

        var rest = reference[(heading.Index + heading.Length)..];
        var next = Regex.Match(rest, "^#{1,4} ", RegexOptions.Multiline);
        return next.Success ? rest[..next.Index] : rest;
    }
}
