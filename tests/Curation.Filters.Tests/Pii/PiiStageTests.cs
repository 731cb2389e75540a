using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;
using Curation.Filters.Pii;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Filters.Tests.Pii;

public class PiiStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddFilterStages();

    protected override string Kind => "pii";

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("My mail is jane@example.com, please write.", "Noted."),
        Chat.Record("Charge 4111 1111 1111 1111 again.", "Done."),
        Chat.Record("Which server?", "The one at 10.0.0.7."),
    ];

    // Rejecting, so that the contract sees this stage's rules; redaction is checked below.
    protected override IStage CreateStage() => FromRegistry(new PiiOptions { Action = PiiAction.Reject });

    [Fact]
    public Task Figures_OfShardTasks_AddUpToWhatOneRunReports() => AssertFiguresOfTwoHalvesReportAsOneRun();

    [Fact]
    public void Redact_ReplacesEachKindInEveryTurn()
    {
        var record = Chat.Record("My mail is jane@example.com and my card 4111 1111 1111 1111.", "Noted; I will call +1 (555) 123-4567 from 10.0.0.7.");

        var result = new PiiStage(new PiiOptions(), "pii").Apply(record);

        Assert.Equal("My mail is <EMAIL> and my card <CREDIT_CARD>.", result.Record!.Messages[0].Content);
        Assert.Equal("Noted; I will call <PHONE> from <IP_ADDRESS>.", result.Record.Messages[1].Content);
    }

    [Fact]
    public void CleanRecord_IsKeptAsItIs()
    {
        var record = Chat.Record("What is 2 + 2?", "4, since 2024-01-15 as before.");

        Assert.Same(record, new PiiStage(new PiiOptions(), "pii").Apply(record).Record);
    }

    [Fact]
    public void Reject_NamesKindAndTurn_WithoutTheSecret()
    {
        var record = Chat.Record("Use key AKIAIOSFODNN7EXAMPLE", "Done.");

        var result = new PiiStage(new PiiOptions { Action = PiiAction.Reject }, "pii").Apply(record);

        Assert.Equal("pii-api-key", result.Rule);
        Assert.Equal("turn 1 (user) holds 1 api_key (AK…LE)", result.Detail);
    }

    [Fact]
    public void KindsAndReplacements_AreConfigurable()
    {
        var stage = new PiiStage(new PiiOptions { Kinds = ["email"], Replacements = new() { ["email"] = "[redacted]" } }, "pii");

        var result = stage.Apply(Chat.Record("jane@example.com, 192.168.0.1", "ok"));

        Assert.Equal("[redacted], 192.168.0.1", result.Record!.Messages[0].Content);
    }

    [Fact]
    public void Report_CountsEachKind()
    {
        var stage = new PiiStage(new PiiOptions(), "pii");
        stage.Apply(Chat.Record("a@example.com b@example.com", "ok"));
        stage.Apply(Chat.Record("call 555-123-4567", "ok"));
        stage.Apply(Chat.Record("nothing here", "ok"));
        var counters = new StageCounters("pii");

        stage.Report(counters);

        Assert.Equal("redacted 2 records; found email 2, phone 1", Assert.Single(counters.Notes));
    }

    [Fact]
    public void UnknownKind_IsAConfigError()
    {
        var registry = new StageRegistry().AddFilterStages();

        var error = Assert.Throws<ConfigException>(() => PipelineLoader.Parse("inputs: [in.jsonl]\nstages:\n  - pii: { kinds: [ssn] }\n", "p.yaml", "/tmp", registry));

        Assert.Contains("unknown PII kind 'ssn'; expected private_key, api_key, email", error.Message, StringComparison.Ordinal);
    }
}
