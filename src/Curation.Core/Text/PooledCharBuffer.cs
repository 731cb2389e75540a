using System.Buffers;

namespace Curation.Core.Text;

/// <summary>A growable char buffer rented from the shared pool. A mutable struct: pass it by <c>ref</c> and dispose it once.</summary>
internal struct PooledCharBuffer : IDisposable
{
    private char[] _array;
    private int _length;

    public PooledCharBuffer(int capacity)
    {
        _array = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 64));
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> Span => _array.AsSpan(0, _length);

    public readonly char this[int index] => _array[index];

    public void Append(char value)
    {
        if (_length == _array.Length)
        {
            Grow(1);
        }

        _array[_length++] = value;
    }

    public void Append(ReadOnlySpan<char> value)
    {
        if (_array.Length - _length < value.Length)
        {
            Grow(value.Length);
        }

        value.CopyTo(_array.AsSpan(_length));
        _length += value.Length;
    }

    public void AppendCodePoint(int codePoint)
    {
        if (codePoint < 0x10000)
        {
            Append((char)codePoint);
            return;
        }

        codePoint -= 0x10000;
        Append((char)(0xD800 + (codePoint >> 10)));
        Append((char)(0xDC00 + (codePoint & 0x3FF)));
    }

    public void Truncate(int length) => _length = length;

    public void Dispose()
    {
        var array = _array;
        _array = null!;
        if (array is not null)
        {
            ArrayPool<char>.Shared.Return(array);
        }
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_array.Length * 2, _length + needed));
        _array.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(_array);
        _array = larger;
    }
}
