namespace Curation.Dedup.MinHash;

/// <summary>
/// Disjoint sets over the ids 0 … count − 1, with path compression and union by size. Each set is named by its
/// smallest id, whatever order the unions came in, so a cluster's representative is its first-seen member.
/// </summary>
public sealed class UnionFind
{
    private readonly int[] _parent;
    private readonly int[] _size;

    // Indexed by root: balancing decides which root survives, so the set's smallest id is tracked apart from it.
    private readonly int[] _least;

    public UnionFind(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _parent = new int[count];
        _size = new int[count];
        _least = new int[count];
        for (var id = 0; id < count; id++)
        {
            _parent[id] = id;
            _size[id] = 1;
            _least[id] = id;
        }
    }

    public int Count => _parent.Length;

    /// <summary>The smallest id in <paramref name="id"/>'s set.</summary>
    public int Find(int id) => _least[Root(id)];

    /// <summary>Merges the sets of <paramref name="a"/> and <paramref name="b"/>; false when they were one set already.</summary>
    public bool Union(int a, int b)
    {
        var (rootA, rootB) = (Root(a), Root(b));
        if (rootA == rootB)
        {
            return false;
        }

        if (_size[rootA] < _size[rootB] || (_size[rootA] == _size[rootB] && rootA > rootB))
        {
            (rootA, rootB) = (rootB, rootA);
        }

        _parent[rootB] = rootA;
        _size[rootA] += _size[rootB];
        _least[rootA] = Math.Min(_least[rootA], _least[rootB]);
        return true;
    }

    private int Root(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        var root = id;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[id] != root)
        {
            (_parent[id], id) = (root, _parent[id]);
        }

        return root;
    }
}
