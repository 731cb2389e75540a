namespace Curation.Evaluation.Config;

/// <summary>A checked eval file: every path absolute, every arm with exactly one of <c>local</c> or <c>api</c>.</summary>
internal sealed record EvalDefinition(string File, string Name, EvalOptions Options, IReadOnlyList<ArmOptions> Arms)
{
    public string OutputDirectory => Options.Output!.Dir!;

    public string StorePath => Options.Store ?? Path.Combine(OutputDirectory, "eval.db");

    public ArmOptions Arm(string name) => Arms.Single(arm => arm.Name == name);
}
