using System.Text;

namespace Curation.TestKit;

/// <summary>
/// Writes a SentencePiece <c>ModelProto</c> (the tokenizer.model of Llama 2 and Mistral) by hand, in protobuf's wire
/// format: pieces with scores and types, a trainer spec naming the model type and special ids, and a normaliser
/// spec. Only the fields the tokenizer reads.
/// </summary>
public static class SentencePieceModelWriter
{
    public const int Normal = 1;
    public const int Unknown = 2;
    public const int Control = 3;

    /// <summary>Characters, then merges whose scores (higher first) give the BPE order: he, ll, ▁he, ▁hell, ▁hello.</summary>
    public static IReadOnlyList<(string Piece, float Score, int Type)> HelloPieces { get; } =
    [
        ("<unk>", 0, Unknown), ("<s>", 0, Control), ("</s>", 0, Control),
        ("▁", -10, Normal), ("h", -10, Normal), ("e", -10, Normal), ("l", -10, Normal), ("o", -10, Normal),
        ("w", -10, Normal), ("r", -10, Normal), ("d", -10, Normal),
        ("he", -1, Normal), ("ll", -2, Normal), ("▁he", -3, Normal), ("▁hell", -4, Normal), ("▁hello", -5, Normal),
    ];

    public static byte[] Bpe(IReadOnlyList<(string Piece, float Score, int Type)> pieces)
    {
        using var model = new MemoryStream();
        foreach (var (piece, score, type) in pieces)
        {
            var entry = new MemoryStream();
            WriteString(entry, 1, piece);
            WriteFloat(entry, 2, score);
            WriteVarintField(entry, 3, (ulong)type);
            WriteBytes(model, 1, entry.ToArray());
        }

        var trainer = new MemoryStream();
        WriteVarintField(trainer, 3, 2);   // model_type: BPE
        WriteVarintField(trainer, 40, 0);  // unk_id
        WriteVarintField(trainer, 41, 1);  // bos_id
        WriteVarintField(trainer, 42, 2);  // eos_id
        WriteVarintField(trainer, 43, unchecked((ulong)-1L)); // pad_id: none
        WriteBytes(model, 2, trainer.ToArray());

        var normalizer = new MemoryStream();
        WriteString(normalizer, 1, "identity");
        WriteVarintField(normalizer, 3, 1); // add_dummy_prefix
        WriteVarintField(normalizer, 4, 1); // remove_extra_whitespaces
        WriteVarintField(normalizer, 5, 1); // escape_whitespaces
        WriteBytes(model, 3, normalizer.ToArray());
        return model.ToArray();
    }

    private static void WriteString(Stream stream, int field, string value) => WriteBytes(stream, field, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(Stream stream, int field, byte[] value)
    {
        WriteVarint(stream, ((ulong)field << 3) | 2);
        WriteVarint(stream, (ulong)value.Length);
        stream.Write(value);
    }

    private static void WriteFloat(Stream stream, int field, float value)
    {
        WriteVarint(stream, ((ulong)field << 3) | 5);
        stream.Write(BitConverter.GetBytes(value));
    }

    private static void WriteVarintField(Stream stream, int field, ulong value)
    {
        WriteVarint(stream, (ulong)field << 3);
        WriteVarint(stream, value);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
