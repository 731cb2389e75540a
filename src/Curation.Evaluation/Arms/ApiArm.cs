using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Curation.Evaluation.Resilience;

namespace Curation.Evaluation.Arms;

/// <summary>
/// An arm answered by an OpenAI-compatible endpoint: at most <see cref="ResilienceSettings.MaxConcurrency"/> calls in
/// flight, each retried under its model's resilience pipeline, then handed to each fallback model in turn; a call
/// every model failed is an answer with the last failure's kind.
/// </summary>
internal sealed class ApiArm : IEvalArm
{
    private readonly ApiArmSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _httpClient;
    private readonly IReadOnlyList<ApiTargetCaller> _chain;
    private readonly SemaphoreSlim _inFlight;

    /// <param name="handler">The HTTP handler under the SDK (tests count and fault calls with it); a pooled socket handler when null. The arm disposes it.</param>
    /// <param name="readVariable">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    public ApiArm(ApiArmSettings settings, TimeProvider timeProvider, HttpMessageHandler? handler = null, Func<string, string?>? readVariable = null)
    {
        settings.Resilience.Validate(settings.Name);
        _settings = settings;
        _timeProvider = timeProvider;
        _httpClient = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        readVariable ??= Environment.GetEnvironmentVariable;
        try
        {
            _chain = [.. new[] { settings.Target }.Concat(settings.Fallbacks).Select(target =>
                new ApiTargetCaller(settings.Name, target, settings.Stream, settings.Resilience, _httpClient, timeProvider, Failures, readVariable))];
        }
        catch
        {
            _httpClient.Dispose();
            throw;
        }

        _inFlight = new SemaphoreSlim(settings.Resilience.MaxConcurrency);
    }

    public string Name => _settings.Name;

    public string Identity => _settings.Target.Identity;

    /// <summary>Failed attempts by error kind, retried ones and fallbacks' included.</summary>
    public FailureCounts Failures { get; } = new();

    public async IAsyncEnumerable<AnsweredCall> AnswerAsync(IReadOnlyList<ArmCall> calls, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answered = Channel.CreateUnbounded<AnsweredCall>(new UnboundedChannelOptions { SingleReader = true });
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(_settings.Resilience.MaxConcurrency, calls.Count))
            .Select(_ => Task.Run(() => WorkAsync(calls, () => Interlocked.Increment(ref next), answered.Writer, stop.Token), CancellationToken.None))
            .ToArray();
        var allDone = CompleteWhenDoneAsync(workers, answered.Writer);
        try
        {
            await foreach (var answer in answered.Reader.ReadAllAsync(CancellationToken.None))
            {
                yield return answer;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await allDone;
        }
    }

    public ValueTask DisposeAsync()
    {
        _httpClient.Dispose();
        _inFlight.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task CompleteWhenDoneAsync(Task[] workers, ChannelWriter<AnsweredCall> writer)
    {
        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task WorkAsync(IReadOnlyList<ArmCall> calls, Func<int> take, ChannelWriter<AnsweredCall> writer, CancellationToken stop)
    {
        try
        {
            for (var index = take(); index < calls.Count && !stop.IsCancellationRequested; index = take())
            {
                // The limit is the arm's, whatever number of runs ask it at once.
                await _inFlight.WaitAsync(stop);
                try
                {
                    var answer = await AnswerOneAsync(calls[index], stop);
                    writer.TryWrite(new AnsweredCall(calls[index], answer));
                }
                finally
                {
                    _inFlight.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // A call cut short by cancellation is not answered: the run log never holds it, so a rerun asks again.
        }
    }

    private async Task<ArmAnswer> AnswerOneAsync(ArmCall call, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var attempts = 0;
        var error = ErrorKinds.Unexpected;
        var triedLast = _chain[0].Target.Model;
        foreach (var caller in _chain)
        {
            ApiTargetOutcome outcome;
            try
            {
                outcome = await caller.AnswerAsync(call, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A fault of this program, not of the endpoint: recorded as such rather than ending the run.
                Failures.Add(ErrorKinds.Unexpected);
                outcome = new ApiTargetOutcome(null, ErrorKinds.Unexpected, 1);
            }

            attempts += outcome.Attempts;
            triedLast = caller.Target.Model;
            if (outcome.Response is { } response)
            {
                return new ArmAnswer(
                    response.Text,
                    (int)(response.Usage?.InputTokenCount ?? 0),
                    (int)(response.Usage?.OutputTokenCount ?? 0),
                    _timeProvider.GetElapsedTime(started),
                    attempts,
                    null,
                    caller.Target.Model)
                { FinishReason = response.FinishReason?.Value };
            }

            error = outcome.Error ?? ErrorKinds.Unexpected;
        }

        return new ArmAnswer(null, 0, 0, _timeProvider.GetElapsedTime(started), attempts, error, triedLast);
    }
}
