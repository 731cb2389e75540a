using Curation.Training.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Curation.Training.Models;

/// <summary>
/// A linear projection that can carry a LoRA adapter: y = base(x) + B(A(dropout(x))) * scaling. The base weight is
/// [out, in] as in <c>nn.Linear</c>, or [in, out] for GPT-2's Conv1D (<see cref="Transposed"/>). The adapter's
/// sub-modules are named <c>lora_A</c> and <c>lora_B</c>, so their parameters carry PEFT's names. For inference it can
/// instead carry served adapters (<see cref="ServedAdapters"/>), one per batch row, which are no parameters.
/// </summary>
public sealed class AdaptableLinear : Module<Tensor, Tensor>
{
    private readonly Parameter _weight;
    private readonly Parameter? _bias;
    private Linear? _loraA;
    private Linear? _loraB;
    private Dropout? _dropout;
    private double _scaling;

    // Kept in a field so that it outlives every native call that reads it (see Constants).
    private Scalar? _scalingScalar;

    public AdaptableLinear(int inputs, int outputs, bool bias, bool transposed = false)
        : base(nameof(AdaptableLinear))
    {
        Inputs = inputs;
        Outputs = outputs;
        Transposed = transposed;
        _weight = Parameter(transposed ? empty(inputs, outputs) : empty(outputs, inputs));
        init.kaiming_uniform_(_weight, Math.Sqrt(5));
        register_parameter("weight", _weight);
        if (bias)
        {
            _bias = Parameter(zeros(outputs));
            register_parameter("bias", _bias);
        }
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>True for GPT-2's Conv1D layout ([in, out]): PEFT's <c>fan_in_fan_out</c>.</summary>
    public bool Transposed { get; }

    public Parameter Weight => _weight;

    public Parameter? Bias => _bias;

    public bool HasAdapter => _loraA is not null;

    public Linear? LoraA => _loraA;

    public Linear? LoraB => _loraB;

    public double Scaling => _scaling;

    /// <summary>The served adapters of this projection, set and cleared by <see cref="ServedAdapters"/>.</summary>
    internal ServedProjection? Served { get; set; }

    /// <summary>Adds a rank-<paramref name="rank"/> adapter initialised as PEFT does: A Kaiming-uniform (a = √5), B zero.</summary>
    public void AttachAdapter(int rank, double scaling, double dropout)
    {
        if (_loraA is not null)
        {
            throw new InvalidOperationException("this layer already has an adapter");
        }

        _loraA = Linear(Inputs, rank, hasBias: false, device: _weight.device);
        _loraB = Linear(rank, Outputs, hasBias: false, device: _weight.device);
        init.kaiming_uniform_(_loraA.weight!, Math.Sqrt(5));
        init.zeros_(_loraB.weight!);
        _dropout = dropout > 0 ? Dropout(dropout) : null;
        _scaling = scaling;
        _scalingScalar = scaling.ToScalar();
        register_module("lora_A", _loraA);
        register_module("lora_B", _loraB);
        if (_dropout is not null)
        {
            register_module("lora_dropout", _dropout);
        }
    }

    /// <summary>The adapter's change to the base weight, in the base weight's layout.</summary>
    public Tensor AdapterDelta()
    {
        if (_loraA is null || _loraB is null)
        {
            throw new InvalidOperationException("this layer has no adapter");
        }

        using var scope = NewDisposeScope();
        var delta = matmul(_loraB.weight!, _loraA.weight!) * _scalingScalar!;
        return (Transposed ? delta.t() : delta).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = !Transposed ? functional.linear(input, _weight, _bias)
            : _bias is null ? matmul(input, _weight)
            : matmul(input, _weight).add(_bias, Constants.One);
        if (_loraA is not null && _loraB is not null)
        {
            var adapterInput = _dropout is null ? input : _dropout.forward(input);
            output = output.add(_loraB.forward(_loraA.forward(adapterInput)) * _scalingScalar!, Constants.One);
        }

        if (Served is not null)
        {
            output = Served.AddTo(output, input);
        }

        return output.MoveToOuterDisposeScope();
    }
}
