using System.Globalization;
using Curation.Core;
using Curation.Training.Checkpoints;
using Curation.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Curation.Training.Optimization;

/// <summary>
/// AdamW with decoupled weight decay, step for step the arithmetic of PyTorch's <c>torch.optim.AdamW</c> (not amsgrad,
/// not maximize). TorchSharp's own AdamW passes Scalars it makes on the fly to libtorch; the garbage collector can free
/// them while libtorch still reads them, so this one holds every Scalar for as long as the call that reads it. Its
/// state (both moments and each parameter's step count) is saved as safetensors.
/// </summary>
internal sealed class AdamWOptimizer : IDisposable
{
    private const string FormatKey = "format";
    private const string Format = "curation-adamw-1";
    private const string StepsKey = "steps";

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly long[] _steps;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _weightDecay;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _beta1Complement;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _beta2Complement;
    private readonly Scalar _epsilon;

    public AdamWOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        LearningRate = learningRate;
        (_beta1, _beta2, _weightDecay) = (beta1, beta2, weightDecay);
        _beta1Scalar = beta1.ToScalar();
        _beta1Complement = (1 - beta1).ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _beta2Complement = (1 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();
        _firstMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _steps = new long[_parameters.Length];
    }

    public double LearningRate { get; set; }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var decay = (1 - (LearningRate * _weightDecay)).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            var step = ++_steps[i];
            var parameter = _parameters[i];
            parameter.mul_(decay);
            _firstMoments[i].mul_(_beta1Scalar).add_(gradient, _beta1Complement);
            _secondMoments[i].mul_(_beta2Scalar).addcmul_(gradient, gradient, _beta2Complement);
            using var stepSize = (-LearningRate / (1 - Math.Pow(_beta1, step))).ToScalar();
            using var correction = Math.Sqrt(1 - Math.Pow(_beta2, step)).ToScalar();
            var denominator = _secondMoments[i].sqrt().div_(correction).add_(_epsilon, Constants.One);
            parameter.addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    /// <summary>Drops every gradient, as PyTorch's <c>zero_grad()</c> does by default.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.grad = null;
        }
    }

    public void Save(string path)
    {
        var tensors = new List<(string Name, long[] Shape, float[] Values)>(2 * _parameters.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            tensors.Add(($"exp_avg.{i}", _firstMoments[i].shape, Values(_firstMoments[i])));
            tensors.Add(($"exp_avg_sq.{i}", _secondMoments[i].shape, Values(_secondMoments[i])));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = Format,
            [StepsKey] = string.Join(',', _steps.Select(s => s.ToString(CultureInfo.InvariantCulture))),
        };
        SafetensorsFile.Write(path, tensors, TensorDType.F32, metadata);
    }

    /// <exception cref="CurationException">Not a state this optimizer wrote for parameters of these shapes: what differs.</exception>
    public void Load(string path)
    {
        var file = SafetensorsFile.Open(path);
        if (!file.Metadata.TryGetValue(FormatKey, out var format) || format != Format)
        {
            throw new CurationException($"{path}: not an AdamW state written by this version (format '{format ?? "none"}', expected '{Format}')");
        }

        var steps = file.Metadata.TryGetValue(StepsKey, out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        if (steps.Length != _parameters.Length || file.Tensors.Count != 2 * _parameters.Length)
        {
            throw new CurationException($"{path}: holds the state of {steps.Length} parameters; this run trains {_parameters.Length}");
        }

        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            Restore(file, $"exp_avg.{i}", _firstMoments[i], path);
            Restore(file, $"exp_avg_sq.{i}", _secondMoments[i], path);
            _steps[i] = long.TryParse(steps[i], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                ? step
                : throw new CurationException($"{path}: step count '{steps[i]}' of parameter {i} is not a whole number");
        }
    }

    public void Dispose()
    {
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }

        foreach (var scalar in new[] { _beta1Scalar, _beta1Complement, _beta2Scalar, _beta2Complement, _epsilon })
        {
            scalar.Dispose();
        }
    }

    private static void Restore(SafetensorsFile file, string name, Tensor moment, string path)
    {
        if (!file.Tensors.TryGetValue(name, out var entry))
        {
            throw new CurationException($"{path}: tensor '{name}' is missing");
        }

        if (!entry.Shape.SequenceEqual(moment.shape))
        {
            throw new CurationException($"{path}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}]; the parameter has [{string.Join(", ", moment.shape)}]");
        }

        using var values = tensor(file.ReadFloats(entry), entry.Shape);
        moment.copy_(values);
    }

    private static float[] Values(Tensor moment)
    {
        using var onHost = moment.to(ScalarType.Float32, CPU).contiguous();
        return onHost.data<float>().ToArray();
    }
}
