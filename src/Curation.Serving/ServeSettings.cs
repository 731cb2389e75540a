namespace Curation.Serving;

/// <summary>How <c>curate serve</c> listens and what it accepts.</summary>
public sealed record ServeSettings
{
    /// <summary>The address to bind: loopback unless the operator says otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one (the chosen address is printed).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>When set, every request must carry <c>Authorization: Bearer</c> with this key.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Most sequences decoded together.</summary>
    public int MaxBatch { get; init; } = 8;

    /// <summary>Most requests waiting for a place in the batch; beyond it requests get 429.</summary>
    public int MaxQueue { get; init; } = 256;

    /// <summary>The largest <c>max_tokens</c> a request may ask for, and the default when it asks for none.</summary>
    public int MaxTokensLimit { get; init; } = 512;

    /// <summary>The largest request body accepted (413 beyond it).</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>How long Ctrl+C waits for requests in flight before it stops anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What a 429 asks the client to wait, in seconds (<c>Retry-After</c>).</summary>
    public int RetryAfterSeconds { get; init; } = 1;
}
