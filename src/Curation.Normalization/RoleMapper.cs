using Curation.Core.Records;

namespace Curation.Normalization;

/// <summary>Maps role names to the canonical roles: case-insensitively, ignoring surrounding spaces, aliases included.</summary>
internal sealed class RoleMapper
{
    private static readonly string RoleChoices = string.Join('|', Roles.All);

    private readonly Dictionary<string, string> _map = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly bool _remapsCanonicalRole;

    public RoleMapper(IReadOnlyDictionary<string, string>? custom, bool useDefaults)
    {
        foreach (var role in Roles.All)
        {
            _map[role] = role;
        }

        if (useDefaults)
        {
            foreach (var (alias, role) in RoleAliases.Defaults)
            {
                _map[alias] = role;
            }
        }

        if (custom is not null)
        {
            _remapsCanonicalRole = AddCustom(custom);
        }

        _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The canonical role for <paramref name="role"/>, or <paramref name="role"/> itself when it is unknown or already canonical.</summary>
    public string Map(string role)
    {
        if (!_remapsCanonicalRole && Roles.IsKnown(role))
        {
            return role;
        }

        return _lookup.TryGetValue(role.AsSpan().Trim(), out var canonical) && !string.Equals(canonical, role, StringComparison.Ordinal)
            ? canonical
            : role;
    }

    /// <summary>Adds the configured entries; true when one of them sends a canonical role name elsewhere.</summary>
    private bool AddCustom(IReadOnlyDictionary<string, string> custom)
    {
        var remapsCanonicalRole = false;
        // Sorted so that the error about two clashing keys is the same on every run.
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rawName, rawTarget) in custom.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var name = rawName?.Trim() ?? string.Empty;
            if (name.Length == 0)
            {
                throw new ArgumentException("role_map: a role name is empty");
            }

            var target = rawTarget?.Trim() ?? string.Empty;
            var canonical = CanonicalOf(target)
                ?? throw new ArgumentException($"role_map: '{rawName}' maps to '{rawTarget}', which is not a role; expected one of {RoleChoices}");
            if (seen.TryGetValue(name, out var earlier) && !string.Equals(_map[earlier], canonical, StringComparison.Ordinal))
            {
                throw new ArgumentException($"role_map: '{earlier}' and '{name}' differ only in case but map to different roles");
            }

            seen[name] = name;
            _map[name] = canonical;
            remapsCanonicalRole |= CanonicalOf(name) is { } role && !string.Equals(role, canonical, StringComparison.Ordinal);
        }

        return remapsCanonicalRole;
    }

    private static string? CanonicalOf(string role)
    {
        foreach (var known in Roles.All)
        {
            if (string.Equals(known, role, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }
}
