using Curation.Training.Checkpoints;

namespace Curation.Training.Lora;

/// <summary>A LoRA adapter's shape: rank, alpha, dropout, which projections it adapts, and rsLoRA scaling.</summary>
public sealed record LoraOptions
{
    public int Rank { get; init; } = 8;

    public double Alpha { get; init; } = 16;

    public double Dropout { get; init; } = 0.05;

    /// <summary>Module names (or name suffixes) to adapt; null: every attention and MLP projection.</summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary>Scale by alpha / √rank instead of alpha / rank (rank-stabilised LoRA).</summary>
    public bool RsLora { get; init; }

    public double Scaling => RsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    public IReadOnlyList<string> TargetsFor(ModelArchitecture architecture) => TargetModules ?? DefaultTargets(architecture);

    public static IReadOnlyList<string> DefaultTargets(ModelArchitecture architecture) => architecture switch
    {
        ModelArchitecture.Gpt2 => ["c_attn", "c_proj", "c_fc"],
        ModelArchitecture.Phi3 => ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"],
        _ => ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    };
}
