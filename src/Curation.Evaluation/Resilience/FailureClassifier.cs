using System.ClientModel;
using System.Net.Sockets;
using System.Text.Json;

namespace Curation.Evaluation.Resilience;

/// <summary>Turns what the OpenAI SDK or the transport threw for one attempt into an <see cref="ApiCallFailure"/>.</summary>
internal static class FailureClassifier
{
    /// <param name="readingStream">Whether the attempt had its response headers and was reading a streamed body.</param>
    public static ApiCallFailure Classify(Exception exception, bool readingStream, DateTimeOffset now)
    {
        if (exception is ApiCallFailure failure)
        {
            return failure;
        }

        if (exception is ClientResultException { Status: > 0 } rejected)
        {
            return FromStatus(rejected, now);
        }

        if (Find<JsonException>(exception) is not null || Find<FormatException>(exception) is not null)
        {
            return new ApiCallFailure(ErrorKinds.MalformedResponse, null, null, exception);
        }

        if (!readingStream && Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return new ApiCallFailure(ErrorKinds.ConnectionRefused, null, null, exception);
        }

        if (Find<IOException>(exception) is not null || Find<HttpRequestException>(exception) is not null || Find<SocketException>(exception) is not null)
        {
            return new ApiCallFailure(readingStream ? ErrorKinds.StreamCut : ErrorKinds.ConnectionReset, null, null, exception);
        }

        return new ApiCallFailure(ErrorKinds.Unexpected, null, null, exception);
    }

    private static ApiCallFailure FromStatus(ClientResultException rejected, DateTimeOffset now)
    {
        var status = rejected.Status;
        var kind = status switch
        {
            401 or 403 => ErrorKinds.Auth,
            400 => ErrorKinds.BadRequest,
            _ => ErrorKinds.Http(status),
        };
        var headers = rejected.GetRawResponse()?.Headers;
        string? retryAfter = null;
        string? retryAfterMs = null;
        headers?.TryGetValue("Retry-After", out retryAfter);
        headers?.TryGetValue("retry-after-ms", out retryAfterMs);
        return new ApiCallFailure(kind, status, RetryAfter.Parse(retryAfter, retryAfterMs, now), rejected);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
