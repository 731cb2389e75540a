using System.Text;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>Reads a conversation array at the reader into turns; on success the reader is on its closing bracket.</summary>
internal delegate bool ConversationReader(ref Utf8JsonReader reader, in FieldPath path, List<Message> messages, StringBuilder text, out string? error);
