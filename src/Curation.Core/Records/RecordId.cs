using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Curation.Core.Records;

/// <summary>Stable record ids: the input's own id when it has one, otherwise a hash of the conversation.</summary>
public static class RecordId
{
    /// <summary>XxHash128 of the roles and contents, as 32 lowercase hex digits. Same conversation, same id.</summary>
    public static string FromContent(IReadOnlyList<Message> messages)
    {
        var hash = new XxHash128();
        Span<byte> separator = [0];
        byte[]? rented = null;
        try
        {
            foreach (var message in messages)
            {
                Append(hash, message.Role, ref rented);
                hash.Append(separator);
                Append(hash, message.Content, ref rented);
                hash.Append(separator);
            }

            Span<byte> digest = stackalloc byte[16];
            hash.GetHashAndReset(digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void Append(XxHash128 hash, string text, ref byte[]? rented)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (rented is null || rented.Length < max)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            rented = ArrayPool<byte>.Shared.Rent(Math.Max(max, 1024));
        }

        var written = Encoding.UTF8.GetBytes(text, rented);
        hash.Append(rented.AsSpan(0, written));
    }
}
