using System.Text;
using Curation.Core;

namespace Curation.IO.Formats;

/// <summary>
/// Which input key holds each canonical field. Keys named explicitly under <c>fields:</c> win over defaults:
/// with <c>prompt: text</c> the input's "text" is the prompt, and no key is the canonical text any more.
/// </summary>
internal sealed class FieldMapping
{
    private readonly string?[] _keys;
    private readonly byte[]?[] _utf8Keys;

    private FieldMapping(string?[] keys)
    {
        _keys = keys;
        _utf8Keys = new byte[]?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            _utf8Keys[i] = keys[i] is { } key ? Encoding.UTF8.GetBytes(key) : null;
        }
    }

    /// <summary>Builds the mapping; throws <see cref="CurationException"/> naming the input when a name or key is unusable.</summary>
    public static FieldMapping Create(IReadOnlyDictionary<string, string> fields, string inputPath)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var where = string.IsNullOrEmpty(inputPath) ? "fields" : $"input '{inputPath}': fields";
        var keys = new string?[CanonicalFields.Count];
        var explicitKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, key) in fields.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!CanonicalFields.TryParse(name, out var field))
            {
                throw new CurationException($"{where}: unknown field '{name}'; expected one of {CanonicalFields.Choices}");
            }

            if (string.IsNullOrEmpty(key))
            {
                throw new CurationException($"{where}: field '{name}' maps to an empty key; give the input's key name");
            }

            if (keys[(int)field] is not null)
            {
                throw new CurationException($"{where}: field '{CanonicalFields.NameOf(field)}' is mapped twice");
            }

            if (!explicitKeys.Add(key))
            {
                throw new CurationException($"{where}: key '{key}' is mapped to two fields; each input key can hold one field");
            }

            keys[(int)field] = key;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var defaultKey = CanonicalFields.DefaultKeyOf((CanonicalField)i);
            if (keys[i] is null && !explicitKeys.Contains(defaultKey))
            {
                keys[i] = defaultKey;
            }
        }

        return new FieldMapping(keys);
    }

    /// <summary>The input key of a field, for messages; the canonical default when no key holds it.</summary>
    public string KeyOf(CanonicalField field) => _keys[(int)field] ?? CanonicalFields.DefaultKeyOf(field);

    /// <summary>Finds the field an (unescaped) UTF-8 property name holds.</summary>
    public bool TryMatch(ReadOnlySpan<byte> utf8Name, out CanonicalField field)
    {
        for (var i = 0; i < _utf8Keys.Length; i++)
        {
            if (_utf8Keys[i] is { } key && utf8Name.SequenceEqual(key))
            {
                field = (CanonicalField)i;
                return true;
            }
        }

        field = default;
        return false;
    }
}
