using System.Globalization;
using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Training.Models;
using Curation.Training.Runtime;
using Curation.Tokenization.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Checkpoints;

/// <summary>Sizes of a freshly initialised model.</summary>
public enum ModelPreset
{
    /// <summary>About 0.5 M weights besides the embeddings: seconds per hundred steps on a laptop CPU.</summary>
    Tiny,

    /// <summary>About 4 M weights besides the embeddings.</summary>
    Small,
}

/// <summary>
/// Writes a random-initialised model in Hugging Face layout, so the whole flow runs offline: <c>config.json</c>,
/// <c>model.safetensors</c>, a real byte-level BPE tokenizer (GPT-2's merges, the first 4,096 or 8,192 ranks, plus the
/// ChatML markers as special tokens) in <c>tokenizer.json</c>, and a <c>tokenizer_config.json</c> whose
/// <c>chat_template</c> is ChatML. Weights follow Hugging Face's initialisation (normal, std 0.02; norms 1; biases 0).
/// </summary>
public static class ModelInitializer
{
    /// <summary>Hugging Face's initializer_range for these models.</summary>
    private static readonly TorchSharp.Scalar InitStd = 0.02.ToScalar();

    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string EndOfText = "<|endoftext|>";

    private const string ChatMlJinja =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>Writes the model folder whole (staged, then renamed into place) and returns its files.</summary>
    /// <exception cref="CurationException">The folder is not empty, or cannot be written (no space, no permission): one line.</exception>
    public static IReadOnlyList<string> Write(string folder, ModelArchitecture architecture, ModelPreset preset, long seed)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new CurationException($"{folder}: not empty; model init writes a new model folder");
        }

        TorchRuntime.EnsureLoaded();
        IReadOnlyList<string> written = [];
        OutputFiles.WriteFolder(folder, staged => written = [.. WriteFiles(staged, architecture, preset, seed).Select(file => Path.Combine(folder, Path.GetRelativePath(staged, file)))]);
        return written;
    }

    private static IReadOnlyList<string> WriteFiles(string folder, ModelArchitecture architecture, ModelPreset preset, long seed)
    {
        var baseVocabulary = preset == ModelPreset.Tiny ? 4096 : 8192;
        var specials = new Dictionary<string, int> { [EndOfText] = baseVocabulary, [ImStart] = baseVocabulary + 1, [ImEnd] = baseVocabulary + 2 };
        var vocabulary = baseVocabulary + specials.Count;
        var (hidden, layers, heads, keyValueHeads, mlp) = preset == ModelPreset.Tiny ? (64, 2, 4, 2, 192) : (256, 4, 8, 4, 704);
        JsonObject config = architecture == ModelArchitecture.Gpt2
            ? new JsonObject
            {
                ["architectures"] = new JsonArray("GPT2LMHeadModel"),
                ["model_type"] = "gpt2",
                ["vocab_size"] = vocabulary,
                ["n_embd"] = hidden,
                ["n_layer"] = layers,
                ["n_head"] = heads,
                ["n_inner"] = mlp,
                ["n_positions"] = 1024,
                ["layer_norm_epsilon"] = 1e-5,
                ["activation_function"] = "gelu_new",
                ["bos_token_id"] = specials[EndOfText],
                ["eos_token_id"] = specials[ImEnd],
                ["tie_word_embeddings"] = true,
                ["torch_dtype"] = "float32",
            }
            : new JsonObject
            {
                ["architectures"] = new JsonArray("LlamaForCausalLM"),
                ["model_type"] = "llama",
                ["vocab_size"] = vocabulary,
                ["hidden_size"] = hidden,
                ["intermediate_size"] = mlp,
                ["num_hidden_layers"] = layers,
                ["num_attention_heads"] = heads,
                ["num_key_value_heads"] = keyValueHeads,
                ["max_position_embeddings"] = 1024,
                ["rms_norm_eps"] = 1e-5,
                ["rope_theta"] = 10000.0,
                ["hidden_act"] = "silu",
                ["attention_bias"] = false,
                ["bos_token_id"] = specials[EndOfText],
                ["eos_token_id"] = specials[ImEnd],
                ["tie_word_embeddings"] = true,
                ["torch_dtype"] = "float32",
            };
        var configPath = Path.Combine(folder, Checkpoint.ConfigFile);
        OutputFiles.WriteText(configPath, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");

        var tokenizerPath = Path.Combine(folder, "tokenizer.json");
        var bpe = ByteLevelBpeVocabulary.FromTiktoken(TiktokenRanks.ForEncoding("gpt2").Take(baseVocabulary));
        OutputFiles.Write(tokenizerPath, stream => bpe.WriteTokenizerJson(stream, HuggingFaceTokenizerJson.Gpt2Pattern, specials));
        var tokenizerConfig = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["chat_template"] = ChatMlJinja,
            ["bos_token"] = null,
            ["eos_token"] = ImEnd,
            ["pad_token"] = EndOfText,
            ["unk_token"] = null,
            ["model_max_length"] = 1024,
        };
        var tokenizerConfigPath = Path.Combine(folder, "tokenizer_config.json");
        OutputFiles.WriteText(tokenizerConfigPath, tokenizerConfig.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        var generationPath = Path.Combine(folder, "generation_config.json");
        OutputFiles.WriteText(generationPath, string.Create(CultureInfo.InvariantCulture, $"{{\"eos_token_id\": {specials[ImEnd]}, \"pad_token_id\": {specials[EndOfText]}}}\n"));

        using var model = CausalLm.Create(ModelConfig.Load(configPath));
        var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                var isNorm = name.Contains("norm", StringComparison.Ordinal) || name.Contains(".ln_", StringComparison.Ordinal);
                if (isNorm && name.EndsWith(".weight", StringComparison.Ordinal))
                {
                    parameter.fill_(Constants.One);
                }
                else if (name.EndsWith(".bias", StringComparison.Ordinal))
                {
                    parameter.zero_();
                }
                else
                {
                    parameter.copy_(randn(parameter.shape, generator: generator) * InitStd);
                }
            }
        }

        return [configPath, .. Checkpoint.WriteWeights(model, folder), tokenizerPath, tokenizerConfigPath, generationPath];
    }
}
