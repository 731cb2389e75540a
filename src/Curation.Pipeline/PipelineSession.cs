using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;

namespace Curation.Pipeline;

/// <summary>One run of a prepared pipeline; owns the output writers until it is disposed.</summary>
public sealed class PipelineSession(PipelineRunner runner, IRecordWriter<ChatRecord> output, IRecordWriter<Reject> rejects) : IAsyncDisposable
{
    public Task<RunResult> RunAsync(CancellationToken cancellationToken) => runner.RunAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await output.DisposeAsync();
        await rejects.DisposeAsync();
    }
}
