using System.Text.Json.Nodes;
using Curation.Core;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Generation;
using Curation.Training.Tests.Training;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Checkpoints;

/// <summary><c>eos_token_id</c> of config.json and generation_config.json, as transformers reads them.</summary>
public sealed class EndOfSequenceIdsTests
{
    [Theory]
    [InlineData("7", new[] { 7 })]
    [InlineData("[7, 9, 11]", new[] { 7, 9, 11 })]
    [InlineData("[]", new int[0])]
    [InlineData("null", new int[0])]
    public void ConfigJson_IntOrList(string value, int[] expected)
    {
        using var folder = new TempFolder();

        var config = Load(folder, JsonNode.Parse("{\"eos_token_id\": " + value + "}")!.AsObject());

        Assert.Equal(expected, config.EndOfSequenceIds);
    }

    [Fact]
    public void Absent_IsEmpty()
    {
        using var folder = new TempFolder();

        Assert.Empty(Load(folder, []).EndOfSequenceIds);
    }

    [Theory]
    [InlineData("[7, 9]", null, new[] { 7, 9 })]
    [InlineData("3", "7", new[] { 7 })]
    [InlineData("3", "[7, 8]", new[] { 7, 8 })]
    [InlineData(null, "[7, 8]", new[] { 7, 8 })]
    [InlineData("3", "null", new[] { 3 })]
    public void GenerationConfig_WinsWhereItSetsOne(string? inConfig, string? inGeneration, int[] expected)
    {
        using var folder = new TempFolder();
        folder.Write("generation_config.json", inGeneration is null ? """{"pad_token_id": 0}""" : "{\"eos_token_id\": " + inGeneration + "}");
        var changes = inConfig is null ? new JsonObject() : JsonNode.Parse("{\"eos_token_id\": " + inConfig + "}")!.AsObject();

        Assert.Equal(expected, Load(folder, changes).EndOfSequenceIds);
    }

    [Theory]
    [InlineData("config.json", "\"eos\"")]
    [InlineData("config.json", "[2,\"eos\"]")]
    [InlineData("config.json", "2.5")]
    [InlineData("generation_config.json", "{\"id\": 2}")]
    [InlineData("generation_config.json", "-1")]
    public void WrongType_IsOneLineNamingTheFileAndField(string file, string value)
    {
        using var folder = new TempFolder();
        var entry = "{\"eos_token_id\": " + value + "}";
        if (file == "generation_config.json")
        {
            folder.Write(file, entry);
        }

        var error = Assert.Throws<CurationException>(() => Load(folder, file == "config.json" ? JsonNode.Parse(entry)!.AsObject() : []));

        Assert.Equal($"{folder.File(file)}: 'eos_token_id' is {value}; expected a token id or a list of token ids", error.Message);
    }

    [Fact]
    public void GenerationConfig_ThatIsNotAnObject_IsRefused()
    {
        using var folder = new TempFolder();
        folder.Write("generation_config.json", "[1]");

        var error = Assert.Throws<CurationException>(() => Load(folder, []));

        Assert.Equal($"{folder.File("generation_config.json")}: not a generation config (expected a JSON object)", error.Message);
    }

    /// <summary>The config's ids end replies too, besides the markers guessed from the tokenizer's special tokens.</summary>
    [Fact]
    public void StopIds_AreTheTokenizersMarkers_PlusTheConfigsIds()
    {
        using var folder = new TempFolder();
        var (modelFolder, encoder) = TrainingTestData.Model(folder);
        File.WriteAllText(Path.Combine(modelFolder, "generation_config.json"), "{}");
        int[] guessed;
        using (var withoutConfigIds = Checkpoint.Open(modelFolder).LoadModel())
        {
            guessed = [.. new TextGenerator(withoutConfigIds, encoder.Tokenizer, encoder.Template, CPU).StopIds.Order()];
        }

        Assert.NotEmpty(guessed);
        Assert.DoesNotContain(42, guessed);
        File.WriteAllText(Path.Combine(modelFolder, "generation_config.json"), """{"eos_token_id": [17, 42]}""");
        using var model = Checkpoint.Open(modelFolder).LoadModel();

        int[] expected = [.. guessed.Concat([17, 42]).Distinct().Order()];
        Assert.Equal(expected, new TextGenerator(model, encoder.Tokenizer, encoder.Template, CPU).StopIds.Order());
        Assert.Equal(expected, new BatchedTextGenerator(model, encoder.Tokenizer, encoder.Template, CPU, 2).StopIds.Order());
    }

    private static ModelConfig Load(TempFolder folder, JsonObject changes)
    {
        var config = TinyCheckpoints.Llama();
        foreach (var (key, value) in changes)
        {
            config[key] = value?.DeepClone();
        }

        return ModelConfig.Load(folder.Write("config.json", config.ToJsonString()));
    }
}
