using System.Globalization;
using System.Text;

namespace Curation.IO.Formats;

/// <summary>
/// A field's path such as <c>messages[2].content[0].type</c>, kept as parts so that building one costs nothing
/// until an error message needs its text.
/// </summary>
internal readonly struct FieldPath
{
    private readonly string _root;
    private readonly int _index;
    private readonly string? _member;
    private readonly int _subIndex;
    private readonly string? _subMember;

    public FieldPath(string root)
        : this(root, -1, null, -1, null)
    {
    }

    private FieldPath(string root, int index, string? member, int subIndex, string? subMember)
    {
        _root = root;
        _index = index;
        _member = member;
        _subIndex = subIndex;
        _subMember = subMember;
    }

    public FieldPath At(int index) => _index < 0 && _member is null
        ? new FieldPath(_root, index, null, -1, null)
        : new FieldPath(_root, _index, _member, index, null);

    public FieldPath Dot(string member) => _member is null && _subIndex < 0
        ? new FieldPath(_root, _index, member, -1, null)
        : new FieldPath(_root, _index, _member, _subIndex, member);

    public override string ToString()
    {
        var builder = new StringBuilder(_root);
        if (_index >= 0)
        {
            builder.Append('[').Append(_index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        if (_member is not null)
        {
            builder.Append('.').Append(_member);
        }

        if (_subIndex >= 0)
        {
            builder.Append('[').Append(_subIndex.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        if (_subMember is not null)
        {
            builder.Append('.').Append(_subMember);
        }

        return builder.ToString();
    }
}
