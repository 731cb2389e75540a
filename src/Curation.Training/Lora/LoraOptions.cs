using Curation.Training.Checkpoints;

namespace Curation.Training.Lora;

/// <summary>
/// A LoRA adapter's shape: rank, alpha, dropout, which projections it adapts, and rsLoRA scaling, with PEFT's
/// per-module <c>rank_pattern</c> and <c>alpha_pattern</c>. <see cref="PeftModuleMatch"/> decides, as PEFT does,
/// which modules the targets select.
/// </summary>
public sealed record LoraOptions
{
    /// <summary>PEFT's shorthand for every linear projection but the output layer.</summary>
    public const string AllLinear = "all-linear";

    public int Rank { get; init; } = 8;

    public double Alpha { get; init; } = 16;

    public double Dropout { get; init; } = 0.05;

    /// <summary>Module names (or name suffixes) to adapt; null: every attention and MLP projection (or <see cref="TargetPattern"/>).</summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary>
    /// PEFT's <c>target_modules</c> given as one string: a regular expression the whole module name must match, or
    /// <see cref="AllLinear"/>. Takes the place of <see cref="TargetModules"/>.
    /// </summary>
    public string? TargetPattern { get; init; }

    /// <summary>PEFT's <c>exclude_modules</c> as names or suffixes; never adapted.</summary>
    public IReadOnlyList<string>? ExcludeModules { get; init; }

    /// <summary>PEFT's <c>exclude_modules</c> as one string: a regular expression the whole module name must match.</summary>
    public string? ExcludePattern { get; init; }

    /// <summary>Only projections of these layers (PEFT's <c>layers_to_transform</c>); null: every layer.</summary>
    public IReadOnlyList<int>? LayersToTransform { get; init; }

    /// <summary>The name of the layer list the indices count in (PEFT's <c>layers_pattern</c>, e.g. "layers", "h"); null: any.</summary>
    public IReadOnlyList<string>? LayersPattern { get; init; }

    /// <summary>PEFT's <c>rank_pattern</c>, in order: the first pattern a module's name ends with (after a dot) gives its rank.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> RankPattern { get; init; } = [];

    /// <summary>PEFT's <c>alpha_pattern</c>, in order, as <see cref="RankPattern"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> AlphaPattern { get; init; } = [];

    /// <summary>Scale by alpha / √rank instead of alpha / rank (rank-stabilised LoRA).</summary>
    public bool RsLora { get; init; }

    public double Scaling => ScalingFor(Rank, Alpha);

    public IReadOnlyList<string> TargetsFor(ModelArchitecture architecture) => TargetModules ?? DefaultTargets(architecture);

    /// <summary>The rank of module <paramref name="module"/> (a full name such as <c>model.layers.0.self_attn.q_proj</c>).</summary>
    public int RankOf(string module) => PeftModuleMatch.PatternValue(RankPattern, module) ?? Rank;

    public double AlphaOf(string module) => PeftModuleMatch.PatternValue(AlphaPattern, module) ?? Alpha;

    public double ScalingOf(string module) => ScalingFor(RankOf(module), AlphaOf(module));

    private double ScalingFor(int rank, double alpha) => RsLora ? alpha / Math.Sqrt(rank) : alpha / rank;

    public static IReadOnlyList<string> DefaultTargets(ModelArchitecture architecture) => architecture switch
    {
        ModelArchitecture.Gpt2 => ["c_attn", "c_proj", "c_fc"],
        ModelArchitecture.Phi3 => ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"],
        _ => ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    };
}
