using Curation.Core.Records;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Store;

namespace Curation.Evaluation.Tests;

public sealed class CacheKeyTests
{
    private const string Arm = "http://127.0.0.1:8000/v1#qwen";

    private static ArmCall Call(
        IReadOnlyList<Message>? messages = null, int maxTokens = 64, double temperature = 0.7, double topP = 0.95, int? seed = 42, int repeat = 2, int item = 0) =>
        new(item, repeat, messages ?? [new Message("system", "Be terse."), new Message("user", "Café \"quoted\"?") { Name = "alice" }], new CallParameters(maxTokens, temperature, topP, seed));

    [Fact]
    public void IsTheSha256OfCanonicalJson_AsPythonWritesIt()
    {
        // /usr/bin/python3: hashlib.sha256(json.dumps(d, separators=(',', ':'), ensure_ascii=False).encode()).hexdigest() of
        // {"key_version":1,"arm":"http://127.0.0.1:8000/v1#qwen","prompt_version":"v3","messages":[{"role":"system","content":"Be terse.","name":null},
        //  {"role":"user","content":"Café \"quoted\"?","name":"alice"}],"parameters":{"max_tokens":64,"temperature":0.7,"top_p":0.95,"seed":42},"repeat":2}
        Assert.Equal("6d083f188c854b8757084636f24554b596a7d718a4aa938ea59c96054ae26e84", CacheKey.Of(Arm, "v3", Call()));
    }

    [Fact]
    public void SameInputs_SameKey_WhateverTheItemIndex()
    {
        Assert.Equal(CacheKey.Of(Arm, "v3", Call()), CacheKey.Of(Arm, "v3", Call()));
        Assert.Equal(CacheKey.Of(Arm, "v3", Call(item: 0)), CacheKey.Of(Arm, "v3", Call(item: 9)));
    }

    [Fact]
    public void EveryPartOfTheKey_ChangesIt()
    {
        Message[] baseMessages = [new Message("system", "Be terse."), new Message("user", "Café \"quoted\"?") { Name = "alice" }];
        string[] keys =
        [
            CacheKey.Of(Arm, "v3", Call()),
            CacheKey.Of("http://127.0.0.1:8001/v1#qwen", "v3", Call()),
            CacheKey.Of("http://127.0.0.1:8000/v1#qwen-2", "v3", Call()),
            CacheKey.Of(Arm, "v4", Call()),
            CacheKey.Of(Arm, "v3", Call(messages: [baseMessages[0] with { Role = "developer" }, baseMessages[1]])),
            CacheKey.Of(Arm, "v3", Call(messages: [baseMessages[0] with { Content = "Be terse!" }, baseMessages[1]])),
            CacheKey.Of(Arm, "v3", Call(messages: [baseMessages[0], baseMessages[1] with { Name = "bob" }])),
            CacheKey.Of(Arm, "v3", Call(messages: [baseMessages[0], baseMessages[1] with { Name = null }])),
            CacheKey.Of(Arm, "v3", Call(messages: [baseMessages[1], baseMessages[0]])),
            CacheKey.Of(Arm, "v3", Call(messages: [baseMessages[1]])),
            CacheKey.Of(Arm, "v3", Call(messages: [.. baseMessages, new Message("assistant", "")])),
            CacheKey.Of(Arm, "v3", Call(messages: [new Message("system", "Be terse.Café \"quoted\"?"), new Message("user", "") { Name = "alice" }])),
            CacheKey.Of(Arm, "v3", Call(maxTokens: 65)),
            CacheKey.Of(Arm, "v3", Call(temperature: 0.70000001)),
            CacheKey.Of(Arm, "v3", Call(topP: 1.0)),
            CacheKey.Of(Arm, "v3", Call(seed: 43)),
            CacheKey.Of(Arm, "v3", Call(seed: null)),
            CacheKey.Of(Arm, "v3", Call(seed: 0)),
            CacheKey.Of(Arm, "v3", Call(repeat: 0)),
        ];

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, key => Assert.Matches("^[0-9a-f]{64}$", key));
    }

    [Fact]
    public void MessageWeights_AreNotSent_AndDoNotChangeTheKey()
    {
        var weighted = Call(messages: [new Message("system", "Be terse.") { Weight = 0 }, new Message("user", "Café \"quoted\"?") { Name = "alice", Weight = 1 }]);

        Assert.Equal(CacheKey.Of(Arm, "v3", Call()), CacheKey.Of(Arm, "v3", weighted));
    }
}
