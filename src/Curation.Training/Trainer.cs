using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Core.Files;
using Curation.Training.Checkpoints;
using Curation.Training.Data;
using Curation.Training.Lora;
using Curation.Training.Models;
using Curation.Training.Optimization;
using Curation.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Curation.Training;

/// <summary>What a training run produced.</summary>
public sealed record TrainingResult(int Steps, double? FinalValidationLoss, string OutputFolder, IReadOnlyList<double> Losses);

/// <summary>
/// The training loop: AdamW over the adapter (or every weight), linear warmup then cosine decay, gradient accumulation
/// whose loss is normalised by the supervised tokens of the whole optimizer step, gradient clipping, validation loss
/// every N steps, resumable checkpoints (weights, optimizer state, step and torch's random state) and a metrics JSONL.
/// Each step runs in its own dispose scope, so memory stays flat however long the run. A NaN or infinite loss, gradient
/// norm or validation loss, or a gradient norm of exactly 0 (overflowed activations), stops the run before the optimizer
/// steps on it, and weights are checked finite before each save, so nothing is ever saved from a diverged state.
/// </summary>
public sealed class Trainer
{
    public const string MetricsFile = "metrics.jsonl";
    public const string StateFile = "trainer_state.json";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string AdapterFolder = "adapter";
    private const int IgnoredLabel = -100;

    private readonly CausalLm _model;
    private readonly TrainingOptions _options;
    private readonly Device _device;
    private readonly string _baseModel;
    private readonly TimeProvider _time;

    /// <summary>Seeds torch, then attaches the LoRA adapter (or unfreezes every weight) and moves the model to the device.</summary>
    public Trainer(CausalLm model, TrainingOptions options, Device device, string baseModel, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxGradientNorm);
        _model = model;
        _options = options;
        _device = device;
        _baseModel = baseModel;
        _time = time ?? TimeProvider.System;
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }

        manual_seed(options.Seed);
        if (options.Lora is { } lora)
        {
            LoraAdapter.Attach(model, lora);
        }
        else
        {
            foreach (var (_, parameter) in model.named_parameters())
            {
                parameter.requires_grad = true;
            }
        }

        if (options.Precision == ComputePrecision.BFloat16 && options.Lora is null)
        {
            throw new CurationException("--precision bf16 trains LoRA adapters (float32 adapter weights over a bfloat16 base); full fine-tuning runs in fp32");
        }

        model.to(device);
        PrecisionChoice.Apply(model, options.Precision);
    }

    public int TotalSteps(int sequences) => _options.MaxSteps ?? (_options.Epochs * StepsPerEpoch(sequences));

    private int SequencesPerStep => _options.BatchSize * _options.GradientAccumulation;

    private int StepsPerEpoch(int sequences) => (sequences + SequencesPerStep - 1) / SequencesPerStep;

    /// <exception cref="OperationCanceledException">Cancelled; a checkpoint of the last finished step was written first.</exception>
    /// <exception cref="TrainingDivergedException">The loss, gradient norm, validation loss or weights became NaN or infinite, or the gradient norm 0; nothing was saved from that state.</exception>
    /// <exception cref="CurationException">A damaged or mismatched checkpoint to resume from, or an output that cannot be written: one line.</exception>
    public TrainingResult Run(
        IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, string output, ITrainingObserver observer, CancellationToken cancellationToken, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(observer);
        var parameters = _model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = new AdamWOptimizer(parameters, _options.LearningRate, weightDecay: _options.WeightDecay);
        var total = TotalSteps(train.Count);
        var schedule = new LearningRateSchedule(_options.LearningRate, _options.WarmupSteps, total, _options.MinLearningRateRatio);
        var first = 1;
        if (resumeFrom is not null)
        {
            first = TrainingCheckpoint.Restore(resumeFrom, _model, _options.Lora, optimizer) + 1;
        }

        FileFaults.Guard(output, () => Directory.CreateDirectory(output));
        var metricsPath = Path.Combine(output, MetricsFile);
        using var metrics = resumeFrom is null ? MetricsLog.Create(metricsPath) : MetricsLog.Resume(metricsPath, first - 1);
        var checkpoints = new SortedList<int, string>();
        if (resumeFrom is not null)
        {
            checkpoints.Add(first - 1, resumeFrom);
        }

        var losses = new List<double>();
        double? validationLoss = null;
        var started = _time.GetTimestamp();
        long tokens = 0;
        var lastSaved = first - 1;

        TrainingDivergedException Diverged(int step, string quantity, double value, double? loss = null, double? norm = null)
        {
            // A loss or gradient of step N comes from the weights after step N - 1, so that checkpoint is not trusted.
            var trustedBefore = quantity is TrainingDivergedException.Loss or TrainingDivergedException.GradientNorm ? step - 1 : step;
            var lastGood = checkpoints.Where(c => c.Key < trustedBefore).Select(c => c.Value).LastOrDefault();
            metrics.Append(DivergedLine(step, quantity, value, loss, norm, lastGood));
            return new TrainingDivergedException(step, quantity, value, lastGood);
        }

        void EnsureFiniteWeights(int step)
        {
            if (!AllFinite(parameters))
            {
                throw Diverged(step, TrainingDivergedException.Weights, double.NaN);
            }
        }

        void Validate(int step)
        {
            var (value, validationTokens) = Evaluate(validation);
            if (!double.IsFinite(value))
            {
                throw Diverged(step, TrainingDivergedException.ValidationLoss, value);
            }

            validationLoss = value;
            var line = new ValidationMetrics(step, value, validationTokens);
            metrics.Append(MetricsLine(line));
            observer.OnValidation(line);
        }

        void Save(int step)
        {
            EnsureFiniteWeights(step);
            var folder = Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"checkpoint-{step}"));
            TrainingCheckpoint.Write(folder, _model, _options.Lora, optimizer, step, total, _options.Seed, _baseModel);
            checkpoints[step] = folder;
            lastSaved = step;
            observer.OnCheckpoint(step, folder);
        }

        if (validation.Count > 0 && resumeFrom is null)
        {
            Validate(0);
        }

        _model.train();
        for (var step = first; step <= total; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (step - 1 > lastSaved)
                {
                    Save(step - 1);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            var (loss, norm, stepTokens) = Step(train, step, parameters, optimizer, schedule.At(step));
            if (!double.IsFinite(loss))
            {
                throw Diverged(step, TrainingDivergedException.Loss, loss, loss, norm);
            }

            if (!double.IsFinite(norm) || IsFlat(loss, norm))
            {
                throw Diverged(step, TrainingDivergedException.GradientNorm, norm, loss, norm);
            }

            // Each step leaves only small managed wrappers behind, whose native tensors the collector cannot see, so it
            // would let them pile up; collecting now and then keeps resident memory flat.
            if (step % 100 == 0)
            {
                GC.Collect();
            }

            tokens += stepTokens;
            losses.Add(loss);
            var elapsed = _time.GetElapsedTime(started);
            var perStep = elapsed / (step - first + 1);
            var metricsLine = new StepMetrics(step, total, EpochOf(step, train.Count), loss, schedule.At(step), norm, tokens, tokens / Math.Max(1e-9, elapsed.TotalSeconds), elapsed, perStep * (total - step), ResidentBytes());
            metrics.Append(MetricsLine(metricsLine));
            observer.OnStep(metricsLine);
            if (validation.Count > 0 && (step == total || (_options.EvaluateEvery > 0 && step % _options.EvaluateEvery == 0)))
            {
                Validate(step);
            }

            if (step == total || (_options.SaveEvery > 0 && step % _options.SaveEvery == 0))
            {
                Save(step);
            }
        }

        if (_options.Lora is { } lora)
        {
            EnsureFiniteWeights(total);
            LoraAdapter.Save(_model, lora, Path.Combine(output, AdapterFolder), _baseModel);
        }

        return new TrainingResult(total, validationLoss, output, losses);
    }

    private (double Loss, double Norm, long Tokens) Step(IReadOnlyList<TrainingExample> train, int step, List<Parameter> parameters, AdamWOptimizer optimizer, double learningRate)
    {
        using var scope = NewDisposeScope();
        var sequences = SequencesOf(step, train);
        var supervised = sequences.Sum(s => s.SupervisedTokens);
        using var supervisedScalar = ((double)Math.Max(1, supervised)).ToScalar();
        long tokens = 0;
        var losses = new List<Tensor>();
        foreach (var batch in sequences.Chunk(_options.BatchSize))
        {
            using var micro = NewDisposeScope();
            var (ids, labels) = Tensors(batch);
            var logits = _model.forward(ids).to(float32);
            var vocabulary = logits.shape[^1];
            var loss = nn.functional.cross_entropy(
                logits[.., ..^1].reshape(-1, vocabulary), labels[.., 1..].reshape(-1), ignore_index: IgnoredLabel, reduction: nn.Reduction.Sum) / supervisedScalar;
            loss.backward();
            losses.Add(loss.detach().MoveToOuterDisposeScope());
            tokens += batch.Sum(s => s.Length);
        }

        // One read back per step, for the log: micro-batches queue on the device without waiting for each other.
        var total = (double)stack(losses).sum().item<float>();

        // The loss was read above for the log and clipping reads the norm: checking both costs no extra sync with the device.
        var norm = nn.utils.clip_grad_norm_(parameters, _options.MaxGradientNorm);
        if (!double.IsFinite(total) || !double.IsFinite(norm) || IsFlat(total, norm))
        {
            // Never step on a broken loss or gradient: the weights stay those of the last good step.
            optimizer.ZeroGrad();
            return (total, norm, tokens);
        }

        optimizer.LearningRate = learningRate;
        optimizer.Step();
        optimizer.ZeroGrad();
        return (total, norm, tokens);
    }

    /// <summary>Mean loss per supervised token over the validation examples.</summary>
    public (double Loss, long Tokens) Evaluate(IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        _model.eval();
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            long count = 0;
            foreach (var batch in examples.Chunk(_options.BatchSize))
            {
                using var scope = NewDisposeScope();
                var (ids, labels) = Tensors(batch);
                var logits = _model.forward(ids).to(float32);
                var vocabulary = logits.shape[^1];
                sum += nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, vocabulary), labels[.., 1..].reshape(-1), ignore_index: IgnoredLabel, reduction: nn.Reduction.Sum).item<float>();
                count += batch.Sum(s => s.SupervisedTokens);
            }

            return (sum / Math.Max(1, count), count);
        }
        finally
        {
            _model.train();
        }
    }

    private (Tensor Ids, Tensor Labels) Tensors(TrainingExample[] batch)
    {
        var width = batch.Max(s => s.Length);
        var ids = new long[batch.Length * width];
        var labels = new long[batch.Length * width];
        Array.Fill(labels, IgnoredLabel);
        for (var row = 0; row < batch.Length; row++)
        {
            var example = batch[row];
            for (var i = 0; i < example.Length; i++)
            {
                ids[(row * width) + i] = example.Ids[i];
                labels[(row * width) + i] = example.Supervised[i] ? example.Ids[i] : IgnoredLabel;
            }
        }

        return (ToDevice(tensor(ids, [batch.Length, width])), ToDevice(tensor(labels, [batch.Length, width])));
    }

    // To a GPU from page-locked memory, without waiting: the copy overlaps the work queued before it.
    private Tensor ToDevice(Tensor host) =>
        _device.type == DeviceType.CUDA ? host.pin_memory().to(_device, disposeAfter: true, non_blocking: true) : host;

    private int EpochOf(int step, int sequences) => (step - 1) / StepsPerEpoch(sequences);

    // Epoch e visits the sequences in a seeded permutation, so the sequences of any step can be recomputed on resume.
    private List<TrainingExample> SequencesOf(int step, IReadOnlyList<TrainingExample> train)
    {
        var epoch = EpochOf(step, train.Count);
        var within = (step - 1) % StepsPerEpoch(train.Count);
        var order = Permutation(train.Count, _options.Seed, epoch);
        return [.. order.Skip(within * SequencesPerStep).Take(SequencesPerStep).Select(i => train[i])];
    }

    internal static int[] Permutation(int count, long seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var state = (ulong)seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1));
        for (var i = count - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var j = (int)(z % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    // Not a single gradient with a loss still to lose: activations overflowed float32 (an RMSNorm or LayerNorm of
    // values past 1.8e19 squares to infinity and scales them to 0), the model's output went flat and stays so.
    private static bool IsFlat(double loss, double norm) => norm == 0 && loss > 0;

    // One host sync for all of them, and only when saving: each parameter reduces to one flag on the device first.
    private static bool AllFinite(List<Parameter> parameters)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var flags = new List<Tensor>(parameters.Count);
        foreach (var parameter in parameters)
        {
            using var finite = parameter.isfinite();
            flags.Add(finite.all());
        }

        return flags.Count == 0 || stack(flags).all().item<bool>();
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string MetricsLine(StepMetrics step) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"step\":{step.Step},\"epoch\":{step.Epoch},\"loss\":{step.Loss:R},\"learning_rate\":{step.LearningRate:R},\"grad_norm\":{step.GradientNorm:R},\"tokens\":{step.Tokens},\"tokens_per_second\":{step.TokensPerSecond:0.0},\"elapsed_seconds\":{step.Elapsed.TotalSeconds:0.000},\"rss_mb\":{step.ResidentBytes / 1048576.0:0.0}}}");

    private static string MetricsLine(ValidationMetrics validation) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"step\":{validation.Step},\"validation_loss\":{validation.Loss:R},\"validation_tokens\":{validation.Tokens}}}");

    // JSON has no NaN or infinity: what was non-finite is named as text, and non-finite numbers are null.
    private static string DivergedLine(int step, string quantity, double value, double? loss, double? norm, string? lastCheckpoint) => new JsonObject
    {
        ["step"] = step,
        ["diverged"] = quantity,
        ["value"] = TrainingDivergedException.Describe(value),
        ["loss"] = loss is { } l && double.IsFinite(l) ? l : null,
        ["grad_norm"] = norm is { } n && double.IsFinite(n) ? n : null,
        ["last_checkpoint"] = lastCheckpoint is null ? null : Path.GetFullPath(lastCheckpoint),
    }.ToJsonString();
}
