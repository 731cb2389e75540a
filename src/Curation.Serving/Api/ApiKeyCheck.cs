using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Curation.Serving.Api;

/// <summary>With an API key set, every <c>/v1</c> request must send <c>Authorization: Bearer &lt;key&gt;</c> (compared in constant time).</summary>
internal sealed class ApiKeyCheck(string? apiKey)
{
    private readonly byte[]? _expected = apiKey is null ? null : Encoding.UTF8.GetBytes(apiKey);

    /// <exception cref="ApiError">401 when the key is missing or wrong.</exception>
    public void Check(HttpRequest request)
    {
        if (_expected is null || !request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            return;
        }

        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiError(StatusCodes.Status401Unauthorized, "Missing API key: send 'Authorization: Bearer <key>'.", code: "invalid_api_key");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim()), _expected))
        {
            throw new ApiError(StatusCodes.Status401Unauthorized, "Incorrect API key.", code: "invalid_api_key");
        }
    }
}
