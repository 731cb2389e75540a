using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Training.Checkpoints;
using Curation.Training.Lora;
using Curation.Training.Models;
using Curation.Training.Tests.Reference;
using Curation.TestKit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Lora;

public sealed class ServedAdaptersTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    // Four rows of seven ids, below every tiny model's vocabulary size.
    private static readonly long[][] Rows = [[1, 5, 9, 2, 33, 17, 4], [7, 7, 3, 0, 45, 12, 8], [60, 2, 19, 41, 3, 3, 70], [11, 29, 5, 5, 52, 8, 1]];

    private static JsonObject ConfigOf(string architecture) => architecture switch
    {
        "gpt2" => TinyCheckpoints.Gpt2(),
        "qwen3" => TinyCheckpoints.Qwen3(),
        _ => TinyCheckpoints.Llama(),
    };

    // Every default projection at rank 4.
    private static LoraOptions Wide => new() { Rank = 4, Alpha = 8, Dropout = 0 };

    // Fewer projections in two layers only, another rank per module and rsLoRA scaling.
    private static LoraOptions Narrow(string architecture) => new()
    {
        Rank = 8,
        Alpha = 16,
        Dropout = 0.1,
        RsLora = true,
        TargetModules = architecture == "gpt2" ? ["c_attn", "c_fc"] : ["q_proj", "v_proj", "down_proj"],
        LayersToTransform = [1, 3],
        RankPattern = [KeyValuePair.Create(architecture == "gpt2" ? "c_fc" : "down_proj", 2)],
        AlphaPattern = [KeyValuePair.Create(architecture == "gpt2" ? "c_attn" : "v_proj", 5.0)],
    };

    private static string WriteAdapter(TempFolder folder, string checkpoint, string name, LoraOptions options, long seed)
    {
        using var model = Checkpoint.Open(checkpoint).LoadModel();
        LoraAdapter.Attach(model, options);
        LoraAdapterTests.Randomise(model, seed);
        LoraAdapter.Save(model, options, folder.File(name), checkpoint);
        return folder.File(name);
    }

    private static CausalLm ModelWith(string checkpoint, string? adapter)
    {
        var model = Checkpoint.Open(checkpoint).LoadModel();
        if (adapter is not null)
        {
            LoraAdapter.Load(model, adapter);
        }

        return model;
    }

    private static Tensor Ids(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    private static float[] Logits(CausalLm model, long[][] rows)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.forward(Ids(rows)).contiguous().data<float>().ToArray();
    }

    // Through the key/value cache as generation runs: the first four positions, then the rest one at a time.
    private static float[] CachedLogits(CausalLm model, long[][] rows, ServedAdapters? served = null, IReadOnlyList<int?>? route = null)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var cache = new KeyValueCache(model.Config.Layers);
        var ids = Ids(rows);
        var steps = new List<Tensor>();
        for (var start = 0; start < rows[0].Length; start += start == 0 ? 4 : 1)
        {
            using var routed = served?.Route(route!);
            steps.Add(model.ForwardWithCache(ids.narrow(1, start, start == 0 ? 4 : 1), cache));
        }

        return cat(steps, 1).contiguous().data<float>().ToArray();
    }

    private static float[] Row(float[] logits, int row, int rows) => logits.AsSpan(row * (logits.Length / rows), logits.Length / rows).ToArray();

    private static double MaxDifference(float[] a, float[] b) => PlainTorchReference.MaxDifference(a, b);

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen3")]
    [InlineData("gpt2")]
    public void MixedBatch_EachRowGivesTheLogitsOfItsAdapterAlone(string architecture)
    {
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), ConfigOf(architecture), seed: 31);
        var wide = WriteAdapter(folder, checkpoint, "wide", Wide, seed: 1);
        var narrow = WriteAdapter(folder, checkpoint, "narrow", Narrow(architecture), seed: 2);
        int?[] route = [0, null, 1, 0];
        var alone = new[] { wide, null, narrow, wide };

        using var model = Checkpoint.Open(checkpoint).LoadModel();
        using var served = ServedAdapters.Load(model, [("wide", wide), ("narrow", narrow)]);
        float[] batch;
        using (served.Route(route))
        {
            batch = Logits(model, Rows);
        }

        var cached = CachedLogits(model, Rows, served, route);
        for (var row = 0; row < Rows.Length; row++)
        {
            using var single = ModelWith(checkpoint, alone[row]);
            var expected = Logits(single, [Rows[row]]);
            var expectedCached = CachedLogits(single, [Rows[row]]);
            var difference = MaxDifference(expected, Row(batch, row, Rows.Length));
            var cachedDifference = MaxDifference(expectedCached, Row(cached, row, Rows.Length));
            output.WriteLine($"{architecture} row {row} ({Path.GetFileName(alone[row]) ?? "base"}): forward {difference:E2}, cached {cachedDifference:E2}");
            Assert.True(difference < Tolerance, $"row {row} differs by {difference}");
            Assert.True(cachedDifference < Tolerance, $"row {row} through the cache differs by {cachedDifference}");
        }

        // The adapters matter: each moves its rows' logits far beyond the tolerance.
        using var baseModel = ModelWith(checkpoint, null);
        var baseLogits = Logits(baseModel, Rows);
        Assert.True(MaxDifference(Row(baseLogits, 0, Rows.Length), Row(batch, 0, Rows.Length)) > 1e-2);
        Assert.True(MaxDifference(Row(baseLogits, 2, Rows.Length), Row(batch, 2, Rows.Length)) > 1e-2);
    }

    [Fact]
    public void RowsSharingOneAdapter_ComputeExactlyAsLoraAdapterLoad_AndNoRouteOrNoAdapterAsTheBase()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama(), seed: 32);
        var wide = WriteAdapter(folder, checkpoint, "wide", Wide, seed: 3);
        var narrow = WriteAdapter(folder, checkpoint, "narrow", Narrow("llama"), seed: 4);
        using var model = Checkpoint.Open(checkpoint).LoadModel();
        var baseLogits = Logits(model, Rows);
        using var served = ServedAdapters.Load(model, [("wide", wide), ("narrow", narrow)]);

        Assert.Equal(["wide", "narrow"], served.Names);
        Assert.Equal(1, served.IndexOf("narrow"));
        Assert.Null(served.IndexOf("other"));
        Assert.Equal(baseLogits, Logits(model, Rows));
        using (served.Route([null, null, null, null]))
        {
            Assert.Equal(baseLogits, Logits(model, Rows));
        }

        using var narrowAlone = ModelWith(checkpoint, narrow);
        using (served.Route([1, 1, 1, 1]))
        {
            Assert.Equal(Logits(narrowAlone, Rows), Logits(model, Rows));
        }

        Assert.Equal(baseLogits, Logits(model, Rows));
    }

    [Fact]
    public void ServedAdapters_AreNoParameters_AndDisposingThemRestoresTheBase()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Qwen3(), seed: 33);
        var wide = WriteAdapter(folder, checkpoint, "wide", Wide, seed: 5);
        using var model = Checkpoint.Open(checkpoint).LoadModel();
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter.requires_grad)).ToList();
        var stateKeys = model.state_dict().Keys.ToList();
        var baseLogits = Logits(model, Rows);

        var served = ServedAdapters.Load(model, [("wide", wide)]);

        Assert.Equal(parameters, model.named_parameters().Select(p => (p.name, p.parameter.requires_grad)));
        Assert.Equal(stateKeys, model.state_dict().Keys);
        using (served.Route([0, 0, 0, 0]))
        {
            Assert.NotEqual(baseLogits, Logits(model, Rows));
        }

        served.Dispose();

        Assert.Equal(baseLogits, Logits(model, Rows));
        Assert.Throws<ObjectDisposedException>(() => served.Route([0]));
        using var again = ServedAdapters.Load(model, [("wide", wide)]);
    }

    [Fact]
    public void AdapterOfAnotherModel_OrWithAFeatureNotImplemented_FailsNamingTheFolder_AndLeavesTheModelAsItWas()
    {
        using var folder = new TempFolder();
        var llama = TinyCheckpoints.Write(folder.File("llama"), TinyCheckpoints.Llama(), seed: 34);
        var qwen3 = TinyCheckpoints.Write(folder.File("qwen3"), TinyCheckpoints.Qwen3(), seed: 35);
        var gpt2 = TinyCheckpoints.Write(folder.File("gpt2"), TinyCheckpoints.Gpt2(), seed: 36);
        var good = WriteAdapter(folder, llama, "good", Wide, seed: 6);
        var ofQwen3 = WriteAdapter(folder, qwen3, "of-qwen3", Wide, seed: 7);
        var ofGpt2 = WriteAdapter(folder, gpt2, "of-gpt2", Wide, seed: 8);
        var dora = WriteAdapter(folder, llama, "dora", Wide, seed: 9);
        var doraConfig = Path.Combine(dora, LoraAdapter.ConfigFile);
        var config = JsonNode.Parse(File.ReadAllText(doraConfig))!.AsObject();
        config["use_dora"] = true;
        File.WriteAllText(doraConfig, config.ToJsonString());
        using var model = Checkpoint.Open(llama).LoadModel();
        var baseLogits = Logits(model, Rows);

        var shapes = Assert.Throws<CurationException>(() => ServedAdapters.Load(model, [("good", good), ("qwen", ofQwen3)]));
        var names = Assert.Throws<CurationException>(() => ServedAdapters.Load(model, [("gpt2", ofGpt2)]));
        var feature = Assert.Throws<CurationException>(() => ServedAdapters.Load(model, [("dora", dora)]));
        var twice = Assert.Throws<CurationException>(() => ServedAdapters.Load(model, [("a", good), ("a", good)]));

        Assert.Matches($"^{ofQwen3}: adapter tensor 'base_model\\.model\\.model\\.layers\\.0\\..*' \\[.*\\] does not fit this llama model: an adapter of another base model\\?$", shapes.Message);
        Assert.Equal($"{ofGpt2}: LoRA target module 'c_attn' matches no projection of this llama model; it has down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj", names.Message);
        Assert.Equal($"{doraConfig}: use_dora true is not supported; only plain LoRA adapters load", feature.Message);
        Assert.Equal("adapter name 'a' is given 2 times; each adapter needs its own name", twice.Message);
        Assert.All(new[] { shapes, names, feature, twice }, e => Assert.DoesNotContain('\n', e.Message));
        Assert.Equal(baseLogits, Logits(model, Rows));
        using var served = ServedAdapters.Load(model, [("good", good)]);
    }

    [Fact]
    public void Route_RefusesAnotherBatchSize_UnknownIndices_AndASecondRouteAtOnce()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama(), seed: 37);
        var wide = WriteAdapter(folder, checkpoint, "wide", Wide, seed: 10);
        using var model = Checkpoint.Open(checkpoint).LoadModel();
        using var served = ServedAdapters.Load(model, [("wide", wide)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => served.Route([0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => served.Route([-1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => served.Route([]));
        using (served.Route([0, null]))
        {
            Assert.Throws<InvalidOperationException>(() => served.Route([0, null]));
            var error = Assert.Throws<InvalidOperationException>(() => Logits(model, Rows));
            Assert.Equal("the adapter route has 2 rows; the batch has 4", error.Message);
            Assert.Equal(2 * 7 * 97, Logits(model, Rows[..2]).Length);
        }

        Assert.Throws<InvalidOperationException>(() => ServedAdapters.Load(model, [("again", wide)]));
    }

    /// <summary>Against the independent float64 reference with each adapter merged into the weights, one row per adapter.</summary>
    [SkippableTheory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void MixedBatch_MatchesTheReferenceOfEachRowsAdapter(string architecture)
    {
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), ConfigOf(architecture), seed: 38);
        var wide = WriteAdapter(folder, checkpoint, "wide", Wide, seed: 11);
        var narrow = WriteAdapter(folder, checkpoint, "narrow", Narrow(architecture), seed: 12);
        using var model = Checkpoint.Open(checkpoint).LoadModel();
        using var served = ServedAdapters.Load(model, [("wide", wide), ("narrow", narrow)]);
        var rows = PlainTorchReference.Ids;
        float[] logits;
        using (served.Route([1, 0]))
        {
            logits = Logits(model, rows);
        }

        Skip.If(PlainTorchReference.PythonWithTorch is null, PlainTorchReference.Missing + ": the reference comparison did not run");
        var narrowReference = PlainTorchReference.Run(checkpoint, folder.Path, narrow).Logits;
        var wideReference = PlainTorchReference.Run(checkpoint, folder.Path, wide).Logits;
        var first = MaxDifference(Row(narrowReference, 0, 2), Row(logits, 0, 2));
        var second = MaxDifference(Row(wideReference, 1, 2), Row(logits, 1, 2));
        output.WriteLine($"{architecture}: row 0 (narrow) vs reference {first:E2}; row 1 (wide) {second:E2}");
        Assert.True(first < PlainTorchReference.Tolerance, $"row 0 differs from the reference by {first}");
        Assert.True(second < PlainTorchReference.Tolerance, $"row 1 differs from the reference by {second}");
    }
}
