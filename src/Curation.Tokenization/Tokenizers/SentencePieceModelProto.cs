using System.Text;

namespace Curation.Tokenization.Tokenizers;

/// <summary>The kind of a SentencePiece piece (<c>ModelProto.SentencePiece.Type</c>).</summary>
internal enum PieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>
/// The fields of a SentencePiece <c>tokenizer.model</c> (protobuf <c>ModelProto</c>) that encoding needs: pieces with
/// scores and types, the model type, byte fallback, and the normaliser spec with its precompiled character map.
/// Missing fields take the proto's defaults.
/// </summary>
internal sealed class SentencePieceModelProto
{
    public const int Unigram = 1;
    public const int Bpe = 2;

    public List<(string Piece, float Score, PieceType Type)> Pieces { get; } = [];

    public int ModelType { get; private set; } = Unigram;

    public bool ByteFallback { get; private set; }

    public bool TreatWhitespaceAsSuffix { get; private set; }

    public string NormalizerName { get; private set; } = "";

    public byte[] CharsMap { get; private set; } = [];

    public bool AddDummyPrefix { get; private set; } = true;

    public bool RemoveExtraWhitespaces { get; private set; } = true;

    public bool EscapeWhitespaces { get; private set; } = true;

    /// <exception cref="FormatException">Not protobuf, or not a model.</exception>
    public static SentencePieceModelProto Parse(ReadOnlySpan<byte> data)
    {
        var model = new SentencePieceModelProto();
        var reader = new ProtoReader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    model.Pieces.Add(ParsePiece(reader.Bytes()));
                    break;
                case 2 when wire == 2:
                    model.ParseTrainerSpec(reader.Bytes());
                    break;
                case 3 when wire == 2:
                    model.ParseNormalizerSpec(reader.Bytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return model.Pieces.Count > 0 ? model : throw new FormatException("no pieces");
    }

    private static (string, float, PieceType) ParsePiece(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        string piece = "";
        float score = 0;
        var type = PieceType.Normal;
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    piece = Encoding.UTF8.GetString(reader.Bytes());
                    break;
                case 2 when wire == 5:
                    score = reader.Float();
                    break;
                case 3 when wire == 0:
                    type = (PieceType)reader.Varint();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return (piece, score, type);
    }

    private void ParseTrainerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 3 when wire == 0:
                    ModelType = (int)reader.Varint();
                    break;
                case 24 when wire == 0:
                    TreatWhitespaceAsSuffix = reader.Varint() != 0;
                    break;
                case 35 when wire == 0:
                    ByteFallback = reader.Varint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    private void ParseNormalizerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    NormalizerName = Encoding.UTF8.GetString(reader.Bytes());
                    break;
                case 2 when wire == 2:
                    CharsMap = reader.Bytes().ToArray();
                    break;
                case 3 when wire == 0:
                    AddDummyPrefix = reader.Varint() != 0;
                    break;
                case 4 when wire == 0:
                    RemoveExtraWhitespaces = reader.Varint() != 0;
                    break;
                case 5 when wire == 0:
                    EscapeWhitespaces = reader.Varint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    /// <summary>Reads protobuf's wire format: varints, 32- and 64-bit fixed values, length-delimited bytes.</summary>
    private ref struct ProtoReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= _data.Length)
            {
                field = wire = 0;
                return false;
            }

            var key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            return field > 0 ? true : throw new FormatException("field number 0");
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw new FormatException("truncated varint");
                }

                var b = _data[_position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("varint longer than 10 bytes");
        }

        public float Float() => BitConverter.Int32BitsToSingle(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(Take(4)));

        public ReadOnlySpan<byte> Bytes() => Take(checked((int)Varint()));

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    Take(8);
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    Take(4);
                    break;
                default:
                    throw new FormatException($"wire type {wire} is not supported");
            }
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length < 0 || length > _data.Length - _position)
            {
                throw new FormatException("truncated field");
            }

            var slice = _data.Slice(_position, length);
            _position += length;
            return slice;
        }
    }
}
