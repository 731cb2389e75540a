using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Data;

namespace Curation.Training.Tests.Training;

public sealed class DataTests
{
    [Fact]
    public void Packing_ConcatenatesUpToTheLimit_AndNeverTargetsAnExamplesFirstToken()
    {
        var a = new TrainingExample([1, 2, 3], [false, true, true]);
        var b = new TrainingExample([4, 5], [true, true]);
        var c = new TrainingExample([6, 7, 8, 9], [false, false, true, true]);

        var packed = SequencePacker.Pack([a, b, c], maxLength: 6);

        Assert.Equal(2, packed.Count);
        Assert.Equal([1, 2, 3, 4, 5], packed[0].Ids);
        Assert.Equal([false, true, true, false, true], packed[0].Supervised);
        Assert.Equal([6, 7, 8, 9], packed[1].Ids);
    }

    [Fact]
    public void Schedule_WarmsUpLinearly_ThenFollowsACosineToTheFloor()
    {
        var schedule = new LearningRateSchedule(1e-3, WarmupSteps: 10, TotalSteps: 110, MinimumRatio: 0.1);

        Assert.Equal(1e-4, schedule.At(1), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
        Assert.Equal(1e-3 * (0.1 + (0.9 * 0.5)), schedule.At(60), 12);
        Assert.Equal(1e-4, schedule.At(110), 12);
    }

    [Fact]
    public void ValidationSplit_DependsOnlyOnIdAndSeed()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"r{i}").ToList();
        var chosen = ids.Where(id => TrainingData.IsValidation(id, 3, 0.1)).ToList();

        Assert.InRange(chosen.Count, 70, 130);
        Assert.Equal(chosen, ids.AsEnumerable().Reverse().Where(id => TrainingData.IsValidation(id, 3, 0.1)).Reverse());
        Assert.NotEqual(chosen, ids.Where(id => TrainingData.IsValidation(id, 4, 0.1)).ToList());
    }

    [Fact]
    public void AssistantLoss_WithGenerationBlocks_TrainsOnExactlyWhatTheyMark()
    {
        // As Hugging Face's return_assistant_tokens_mask: the end marker inside the block is trained, the newline after it is not.
        var template = JinjaChatTemplate.Parse(
            "{% for m in messages %}<|im_start|>{{ m.role }}\n{% if m.role == 'assistant' %}{% generation %}{{ m.content }}<|im_end|>{% endgeneration %}\n{% else %}{{ m.content }}<|im_end|>\n{% endif %}{% endfor %}",
            "chatml-generation.jinja");
        var encoder = new ChatExampleEncoder(TokenizerCatalog.Load("cl100k_base", "."), template, LossOn.Assistant);

        var example = encoder.Encode([new(Roles.User, "Name a prime."), new(Roles.Assistant, "Seven."), new(Roles.User, "Another?"), new(Roles.Assistant, "Three.")]);

        var supervised = example.Ids.Where((_, i) => example.Supervised[i]).ToList();
        Assert.Equal("Seven.<|im_end|>Three.<|im_end|>", encoder.Tokenizer.Decode(supervised));
    }

    [Fact]
    public void AssistantLoss_WithoutGenerationBlocks_TrainsFromWhereTheModelStartsWriting()
    {
        var template = JinjaChatTemplate.Parse(
            "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
            "chatml.jinja");
        var encoder = new ChatExampleEncoder(TokenizerCatalog.Load("cl100k_base", "."), template, LossOn.Assistant);

        var example = encoder.Encode([new(Roles.User, "Name a prime."), new(Roles.Assistant, "Seven.")]);

        Assert.Equal("Seven.<|im_end|>\n", encoder.Tokenizer.Decode(example.Ids.Where((_, i) => example.Supervised[i])));
    }
}
