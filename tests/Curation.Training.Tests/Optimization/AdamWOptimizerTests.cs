using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Core;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Optimization;
using Curation.Training.Tests.Reference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Optimization;

/// <summary>Our AdamW against PyTorch's torch.optim.AdamW (Debian's python3-torch) on the same parameters and gradients.</summary>
public sealed class AdamWOptimizerTests
{
    private const double Tolerance = 2e-6;
    private const double WeightDecay = 0.05;
    private static readonly long[][] Shapes = [[4, 3], [5], [2, 3, 2], [6, 4]];
    private static readonly double[] LearningRates = [1e-2, 3e-2, 2e-2, 5e-3, 1e-2, 4e-2, 1e-3, 2e-2];

    [SkippableFact]
    public void EightSteps_WithVaryingRates_AMissingGradient_AndAResumeHalfway_MatchPyTorch()
    {
        Skip.If(PlainTorchReference.PythonWithTorch is null, PlainTorchReference.Missing);
        using var folder = new TempFolder();
        var random = new Random(7);
        var initial = Shapes.Select(shape => Values(random, shape, 1.0)).ToArray();

        // Parameter 2 has no gradient at step 3: its moments and its step count stay as they were.
        var gradients = LearningRates.Select((_, step) => Shapes.Select((shape, i) => step == 2 && i == 2 ? null : Values(random, shape, 0.5)).ToArray()).ToArray();

        var parameters = Shapes.Select((shape, i) => new Parameter(tensor(initial[i], shape))).ToArray();
        var statePath = folder.File("optimizer.safetensors");
        using (var optimizer = new AdamWOptimizer(parameters, LearningRates[0], weightDecay: WeightDecay))
        {
            Run(optimizer, parameters, gradients, 0, 4);
            optimizer.Save(statePath);
        }

        using (var resumed = new AdamWOptimizer(parameters, LearningRates[0], weightDecay: WeightDecay))
        {
            resumed.Load(statePath);
            Run(resumed, parameters, gradients, 4, LearningRates.Length);
            resumed.Save(statePath);
        }

        var expected = Reference(folder, initial, gradients);
        var state = SafetensorsFile.Open(statePath);
        for (var i = 0; i < Shapes.Length; i++)
        {
            AssertClose(expected["parameters"]![i]!, parameters[i].data<float>().ToArray(), $"parameter {i}");
            AssertClose(expected["exp_avg"]![i]!, state.ReadFloats(state.Tensors[$"exp_avg.{i}"]), $"exp_avg {i}");
            AssertClose(expected["exp_avg_sq"]![i]!, state.ReadFloats(state.Tensors[$"exp_avg_sq.{i}"]), $"exp_avg_sq {i}");
        }

        Assert.Equal("8,8,7,8", state.Metadata["steps"]);
    }

    [Fact]
    public void StateOfOtherParameters_IsRefusedWithWhatDiffers()
    {
        using var folder = new TempFolder();
        var path = folder.File("optimizer.safetensors");
        using (var optimizer = new AdamWOptimizer([new Parameter(zeros(3, 2))], 1e-3))
        {
            optimizer.Save(path);
        }

        using var otherShape = new AdamWOptimizer([new Parameter(zeros(2, 3))], 1e-3);
        var error = Assert.Throws<CurationException>(() => otherShape.Load(path));
        Assert.Equal($"{path}: tensor 'exp_avg.0' has shape [3, 2]; the parameter has [2, 3]", error.Message);

        using var more = new AdamWOptimizer([new Parameter(zeros(3, 2)), new Parameter(zeros(1))], 1e-3);
        Assert.Equal($"{path}: holds the state of 1 parameters; this run trains 2", Assert.Throws<CurationException>(() => more.Load(path)).Message);
    }

    [Fact]
    public void ZeroGrad_DropsTheGradients_AndAStepWithoutGradientsChangesNothing()
    {
        var parameter = new Parameter(ones(4));
        using var optimizer = new AdamWOptimizer([parameter], 0.1);
        parameter.grad = ones(4);
        optimizer.ZeroGrad();
        Assert.Null(parameter.grad);
        optimizer.Step();
        Assert.Equal([1f, 1f, 1f, 1f], parameter.data<float>().ToArray());
    }

    private static void Run(AdamWOptimizer optimizer, Parameter[] parameters, float[]?[][] gradients, int from, int to)
    {
        for (var step = from; step < to; step++)
        {
            optimizer.LearningRate = LearningRates[step];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].grad = gradients[step][i] is { } values ? tensor(values, Shapes[i]) : null;
            }

            optimizer.Step();
            optimizer.ZeroGrad();
        }
    }

    private static JsonNode Reference(TempFolder folder, float[][] initial, float[]?[][] gradients)
    {
        var spec = folder.File("spec.json");
        var output = folder.File("reference.json");
        File.WriteAllText(spec, JsonSerializer.Serialize(new
        {
            parameters = initial.Select((values, i) => new { shape = Shapes[i], values }),
            gradients,
            learning_rates = LearningRates,
            weight_decay = WeightDecay,
        }));
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "reference_adamw.py");
        using var process = Process.Start(new ProcessStartInfo(PlainTorchReference.PythonWithTorch!, [script, spec, output]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return JsonNode.Parse(File.ReadAllText(output))!;
    }

    private static void AssertClose(JsonNode expected, float[] actual, string what)
    {
        var values = expected.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(values.Length, actual.Length);
        var worst = values.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst:E2}");
    }

    private static float[] Values(Random random, long[] shape, double scale) =>
        [.. Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)((random.NextDouble() - 0.5) * 2 * scale))];
}
