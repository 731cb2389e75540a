using System.CommandLine;
using Curation.Core.Runtime;

namespace Curation.Cli.Commands;

/// <summary>Options shared by several commands, declared once.</summary>
internal static class CommonOptions
{
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print stack traces and more detail on errors.",
    };

    public static Option<int?> Workers { get; } = new("--workers", "-w")
    {
        Description = "Workers per parallel stage (default: the pipeline's 'workers', else the number of cores). Output does not depend on it.",
        Validators = { result => { if (result.GetValueOrDefault<int?>() is { } workers && !WorkerCount.IsValid(workers)) { result.AddError($"--workers must be at least {WorkerCount.Minimum}"); } } },
    };

    public static Option<long?> Seed { get; } = new("--seed")
    {
        Description = "Overrides the pipeline's seed.",
    };

    public static Option<bool> FailFast { get; } = new("--fail-fast")
    {
        Description = "Stop at the first error on a record instead of rejecting it with rule 'stage-error'.",
    };

    public static Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Output folder (overrides the pipeline's output.dir).",
    };

    public static Option<string[]> TemplateArgs { get; } = new("--template-arg")
    {
        Description = "A variable for the model's own chat template, name=value (a JSON value, else text), e.g. enable_thinking=false; repeatable.",
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string[]>()?.FirstOrDefault(pair => pair.IndexOf('=', StringComparison.Ordinal) < 1) is { } bad)
                {
                    result.AddError($"--template-arg expects name=value; got '{bad}'");
                }
            },
        },
    };

    /// <summary>The <c>--template-arg</c> pairs by name (a later one replaces an earlier).</summary>
    public static Dictionary<string, string> TemplateArgsOf(ParseResult parseResult)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parseResult.GetValue(TemplateArgs) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            pairs[pair[..equals]] = pair[(equals + 1)..];
        }

        return pairs;
    }

    /// <summary><c>--precision auto|fp32|bf16</c> for commands that run a model.</summary>
    public static Option<string> Precision()
    {
        var option = new Option<string>("--precision")
        {
            Description = "fp32, bf16 (bfloat16 base weights; LoRA weights stay float32) or auto (bf16 on CUDA, fp32 on the CPU).",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "fp32", "bf16");
        return option;
    }
}
