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
        var weight = Parameter(transposed ? empty(inputs, outputs) : empty(outputs, inputs));
        init.kaiming_uniform_(weight, Math.Sqrt(5));
        register_parameter("weight", weight);
        if (bias)
        {
            register_parameter("bias", Parameter(zeros(outputs)));
        }
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>True for GPT-2's Conv1D layout ([in, out]): PEFT's <c>fan_in_fan_out</c>.</summary>
    public bool Transposed { get; }

    // Looked up, not kept in fields: Module.to(device or dtype) replaces the registered parameters.
    public Parameter Weight => get_parameter("weight")!;

    public Parameter? Bias => has_parameter("bias") ? get_parameter("bias") : null;

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

        _loraA = Linear(Inputs, rank, hasBias: false, device: Weight.device);
        _loraB = Linear(rank, Outputs, hasBias: false, device: Weight.device);
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
        var (weight, bias) = (Weight, Bias);
        var output = !Transposed ? functional.linear(input, weight, bias)
            : bias is null ? matmul(input, weight)
            : matmul(input, weight).add(bias, Constants.One);
        if (_loraA is not null && _loraB is not null)
        {
            // As PEFT under autocast: the adapter computes in its own dtype (float32 master weights over a bf16 base).
            var adapterInput = (_dropout is null ? input : _dropout.forward(input)).to(_loraA.weight!.dtype);
            output = output.add((_loraB.forward(_loraA.forward(adapterInput)) * _scalingScalar!).to(output.dtype), Constants.One);
        }

        if (Served is not null)
        {
            output = Served.AddTo(output, input);
        }

        return output.MoveToOuterDisposeScope();
    }
}
