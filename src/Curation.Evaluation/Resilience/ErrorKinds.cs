using System.Globalization;

namespace Curation.Evaluation.Resilience;

/// <summary>The error kinds a failed call is classified into; reports and the run log name failures by them.</summary>
internal static class ErrorKinds
{
    public const string Timeout = "timeout";
    public const string MalformedResponse = "malformed-response";
    public const string ConnectionReset = "connection-reset";

    /// <summary>Nothing listens at the endpoint (a server not started, a wrong port).</summary>
    public const string ConnectionRefused = "connection-refused";
    public const string StreamCut = "stream-cut";
    public const string CircuitOpen = "circuit-open";
    public const string Auth = "auth";
    public const string BadRequest = "bad-request";

    /// <summary>An exception no other kind covers: a fault of this program, not of the endpoint; never retried.</summary>
    public const string Unexpected = "unexpected";

    /// <summary><c>http-429</c>, <c>http-500</c>, ...: a status without a kind of its own.</summary>
    public static string Http(int status) => string.Create(CultureInfo.InvariantCulture, $"http-{status}");

    /// <summary>
    /// Whether a later attempt may succeed: rate limits, server errors, timeouts and broken transfers are; a rejected
    /// key, a request the server calls bad, and an open circuit are not (the circuit is what stops the retries).
    /// </summary>
    public static bool IsTransient(string kind, int? status) =>
        kind is Timeout or MalformedResponse or ConnectionReset or ConnectionRefused or StreamCut || status is 408 or 429 or >= 500;
}
