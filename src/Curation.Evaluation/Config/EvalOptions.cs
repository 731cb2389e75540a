using System.ComponentModel.DataAnnotations;

namespace Curation.Evaluation.Config;

/// <summary>An eval file's top level, as written (snake_case keys); <see cref="EvalConfigLoader"/> checks and resolves it.</summary>
internal sealed class EvalOptions
{
    public string? Name { get; set; }

    public int Seed { get; set; } = 1;

    [Required]
    public GoldenOptions? Golden { get; set; }

    public PromptOptions Prompt { get; set; } = new();

    public ParameterOptions Parameters { get; set; } = new();

    public List<string> Metrics { get; set; } = ["exact_match", "normalized_match", "token_f1", "rouge_l"];

    public JudgeOptions? Judge { get; set; }

    public LeakageOptions? Leakage { get; set; }

    public List<string> Gates { get; set; } = [];

    [Required]
    public EvalOutputOptions? Output { get; set; }

    /// <summary>The SQLite file of cached responses and the run log; default <c>eval.db</c> in the output folder.</summary>
    public string? Store { get; set; }

    [Range(100, 1_000_000)]
    public int Resamples { get; set; } = 10_000;
}

internal sealed class GoldenOptions
{
    /// <summary>A file, folder or glob in any input format; the last assistant turn is the expected answer.</summary>
    [Required]
    public string? Path { get; set; }

    /// <summary>Evaluate only the first N items (0: all).</summary>
    [Range(0, int.MaxValue)]
    public int Limit { get; set; }
}

internal sealed class PromptOptions
{
    /// <summary>A file whose text becomes the system turn (replacing the item's own).</summary>
    public string? System { get; set; }

    /// <summary>A file whose text becomes the last user turn, with <c>{{input}}</c> standing for the item's.</summary>
    public string? User { get; set; }
}

internal sealed class ParameterOptions
{
    [Range(1, 1_000_000)]
    public int MaxTokens { get; set; } = 256;

    [Range(0.0, 2.0)]
    public double Temperature { get; set; }

    [Range(0.0, 1.0)]
    public double TopP { get; set; } = 1;
}

internal sealed class EvalOutputOptions
{
    [Required]
    public string? Dir { get; set; }
}

internal sealed class ArmOptions
{
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "letters, digits, '.', '_' and '-', starting with a letter or digit")]
    public string? Name { get; set; }

    public LocalArmOptions? Local { get; set; }

    public ApiArmOptions? Api { get; set; }

    public PriceOptions Price { get; set; } = new();

    /// <summary>Answers per item; above 1 with temperature above 0 measures stability.</summary>
    [Range(1, 100)]
    public int Repeats { get; set; } = 1;

    /// <summary>This arm's own prompt files instead of the eval's.</summary>
    public PromptOptions? Prompt { get; set; }

    /// <summary>This arm's own generation settings instead of the eval's.</summary>
    public ParameterOptions? Parameters { get; set; }
}

internal sealed class LocalArmOptions
{
    [Required]
    public string? Model { get; set; }

    public string? Adapter { get; set; }

    public string Template { get; set; } = "auto";

    public string Device { get; set; } = "auto";

    public string Precision { get; set; } = "auto";

    [Range(1, 1024)]
    public int BatchSize { get; set; } = 8;
}

internal sealed class ApiArmOptions
{
    [Required]
    public string? BaseUrl { get; set; }

    [Required]
    public string? Model { get; set; }

    /// <summary>The environment variable holding the API key; none for servers without keys.</summary>
    public string? ApiKeyEnv { get; set; }

    [Range(0.001, 3600.0)]
    public double TimeoutSeconds { get; set; } = 60;

    [Range(0, 20)]
    public int Retries { get; set; } = 4;

    [Range(1, 1024)]
    public int Concurrency { get; set; } = 4;

    public bool Stream { get; set; }

    /// <summary>Cheaper models tried in order when the arm's own model fails: a model name on the same endpoint, or <c>URL#MODEL</c>.</summary>
    public List<string> Fallback { get; set; } = [];
}

internal sealed class PriceOptions
{
    /// <summary>Price of a million prompt tokens (API arms).</summary>
    [Range(0.0, 1e9)]
    public double InputPerMillion { get; set; }

    [Range(0.0, 1e9)]
    public double OutputPerMillion { get; set; }

    /// <summary>Price of an hour of the machine (local arms): the arm's generation time is charged at this rate.</summary>
    [Range(0.0, 1e9)]
    public double PerHour { get; set; }
}

internal sealed class JudgeOptions
{
    /// <summary>The arm (one of <c>arms</c>) that judges.</summary>
    [Required]
    public string? Arm { get; set; }

    /// <summary>A markdown file with the grading rubric.</summary>
    [Required]
    public string? Rubric { get; set; }

    /// <summary>Also compare these two arms' answers head to head, each order once.</summary>
    public List<string> Pairwise { get; set; } = [];
}

internal sealed class LeakageOptions
{
    /// <summary>A near-dedup index of the training data (<c>save_index</c> of the training pipeline).</summary>
    [Required]
    public string? Index { get; set; }

    /// <summary>Jaccard similarity at or above which a golden item counts as leaked.</summary>
    [Range(0.01, 1.0)]
    public double Threshold { get; set; } = 0.8;
}
