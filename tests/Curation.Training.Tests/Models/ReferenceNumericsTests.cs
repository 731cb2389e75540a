using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Training.Checkpoints;
using Curation.TestKit;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Models;

/// <summary>
/// Logits of our models against an independent plain-PyTorch forward pass (Reference/reference_forward.py, float64,
/// Debian's python3-torch), on checkpoints the test writes. Skipped with a message where python3-torch is absent.
/// </summary>
public sealed class ReferenceNumericsTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;
    internal static readonly long[][] Ids = [[1, 5, 9, 2, 33, 17, 4, 60], [7, 7, 3, 0, 45, 12, 8, 2]];

    public static TheoryData<string> Variants => ["llama-gqa-llama3-rope", "llama-tied-no-scaling-mha", "qwen2-biases-tied", "gpt2", "llama-bf16-sharded"];

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void Logits_MatchThePlainPyTorchReference(string variant)
    {
        var python = FindPythonWithTorch();
        Skip.If(python is null, "python3 with torch not found (apt-get install python3-torch)");

        using var folder = new TempFolder();
        var model = variant switch
        {
            "llama-gqa-llama3-rope" => TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama()),
            "llama-tied-no-scaling-mha" => TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama(tied: true, llama3Scaling: false, keyValueHeads: 4), seed: 2),
            "qwen2-biases-tied" => TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Qwen2(), seed: 3),
            "gpt2" => TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Gpt2(), seed: 4),
            _ => TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama(), seed: 5, dtype: TensorDType.BF16, shardBytes: 40_000),
        };
        File.WriteAllText(folder.File("ids.json"), JsonSerializer.Serialize(Ids));

        var expected = RunReference(python, model, folder.File("ids.json"), folder.File("logits.f32"));
        var checkpoint = Checkpoint.Open(model);
        using var loaded = checkpoint.LoadModel();
        using var scope = NewDisposeScope();
        var logits = loaded.forward(tensor(Ids.SelectMany(r => r).ToArray(), [Ids.Length, Ids[0].Length]));
        var actual = logits.contiguous().data<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{variant}: {expected.Length} logits, max |difference| {worst:E2}, logit scale {expected.Max(Math.Abs):F3}");
        Assert.True(worst < Tolerance, $"max |difference| {worst} >= {Tolerance}");
    }

    internal static float[] RunReference(string python, string model, string ids, string outPath, string? adapter = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "reference_forward.py");
        string[] arguments = adapter is null ? [script, model, ids, outPath] : [script, model, ids, outPath, adapter];
        using var process = Process.Start(new ProcessStartInfo(python, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(outPath)).ToArray();
    }

    /// <summary>Debian's python3 (which python3-torch installs into) first, then whatever python3 is on PATH.</summary>
    internal static string? FindPythonWithTorch()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true });
                if (probe is null)
                {
                    continue;
                }

                probe.WaitForExit();
                if (probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        return null;
    }
}
