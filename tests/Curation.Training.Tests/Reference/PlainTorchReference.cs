using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Curation.Training.Generation;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Reference;

/// <summary>What reference_forward.py computed: the prompt's logits and, when asked, a greedy continuation without a cache.</summary>
internal sealed record ReferenceRun(float[] Logits, int[][] GeneratedIds, float[] StepLogits);

/// <summary>
/// Runs Reference/reference_forward.py (an independent float64 plain-PyTorch forward pass, Debian's python3-torch)
/// and our models the same way, for comparison.
/// </summary>
internal static class PlainTorchReference
{
    public const double Tolerance = 1e-4;
    public const string Missing = "python3 with torch not found (apt-get install python3-torch)";

    public static readonly long[][] Ids = [[1, 5, 9, 2, 33, 17, 4, 60], [7, 7, 3, 0, 45, 12, 8, 2]];

    private static readonly Lazy<string?> Python = new(FindPythonWithTorch);

    /// <summary>Debian's python3 (which python3-torch installs into) first, then whatever python3 is on PATH; null without torch.</summary>
    public static string? PythonWithTorch => Python.Value;

    public static Tensor IdsTensor() => tensor(Ids.SelectMany(r => r).ToArray(), [Ids.Length, Ids[0].Length]);

    /// <summary>Runs the reference on <see cref="Ids"/> in <paramref name="workFolder"/>, with an adapter and a greedy continuation if asked.</summary>
    public static ReferenceRun Run(string model, string workFolder, string? adapter = null, int generateSteps = 0)
    {
        var python = PythonWithTorch ?? throw new InvalidOperationException(Missing);
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "reference_forward.py");
        var ids = Path.Combine(workFolder, "ids.json");
        var logits = Path.Combine(workFolder, "reference.f32");
        var prefix = Path.Combine(workFolder, "reference-greedy");
        File.WriteAllText(ids, JsonSerializer.Serialize(Ids));
        var arguments = new List<string> { script, model, ids, logits };
        if (adapter is not null)
        {
            arguments.Add(adapter);
        }

        if (generateSteps > 0)
        {
            arguments.AddRange(["--generate", generateSteps.ToString(System.Globalization.CultureInfo.InvariantCulture), prefix]);
        }

        using var process = Process.Start(new ProcessStartInfo(python, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return generateSteps == 0
            ? new ReferenceRun(Floats(logits), [], [])
            : new ReferenceRun(Floats(logits), JsonSerializer.Deserialize<int[][]>(File.ReadAllText(prefix + ".ids.json"))!, Floats(prefix + ".logits.f32"));
    }

    /// <summary>Our logits for <see cref="Ids"/>, one plain forward pass.</summary>
    public static float[] Logits(CausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.forward(IdsTensor()).to(float32).contiguous().data<float>().ToArray();
    }

    /// <summary>Our logits for <see cref="Ids"/> through the key/value cache: a prompt pass of the first five positions, then the rest at once.</summary>
    public static float[] CachedLogits(CausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(model.Config.Layers);
        var ids = IdsTensor();
        var first = model.ForwardWithCache(ids.narrow(1, 0, 5), cache);
        var rest = model.ForwardWithCache(ids.narrow(1, 5, ids.shape[1] - 5), cache);
        return cat([first, rest], 1).contiguous().data<float>().ToArray();
    }

    /// <summary>Our greedy generation (cached, as <c>curate generate</c> runs it) from each row of <see cref="Ids"/>: the ids and each step's logits.</summary>
    public static (int[][] Ids, float[] StepLogits) Greedy(CausalLm model, int steps)
    {
        var decoder = new TokenDecoder(model, CPU);
        var ids = new List<int[]>();
        var logits = new List<float>();
        foreach (var row in Ids)
        {
            var decoded = decoder.Decode([.. row.Select(id => (int)id)], new SamplingOptions(MaxNewTokens: steps), new HashSet<int>(), step => logits.AddRange(step.to(float32).contiguous().data<float>().ToArray()));
            ids.Add([.. decoded.Ids]);
        }

        return ([.. ids], [.. logits]);
    }

    public static double MaxDifference(float[] expected, float[] actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
    }

    private static float[] Floats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    private static string? FindPythonWithTorch()
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
