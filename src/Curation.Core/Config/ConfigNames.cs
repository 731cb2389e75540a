using System.Reflection;
using System.Runtime.Serialization;
using System.Text;

namespace Curation.Core.Config;

/// <summary>How C# names appear in pipeline files: properties as snake_case, enum values as kebab-case or their [EnumMember] value.</summary>
public static class ConfigNames
{
    public static string ForProperty(string propertyName) => Separate(propertyName, '_');

    public static string ForEnumValue(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.ToString();
        var member = value.GetType().GetField(name, BindingFlags.Public | BindingFlags.Static);
        var attribute = member?.GetCustomAttribute<EnumMemberAttribute>();
        return attribute?.Value ?? Separate(name, '-');
    }

    public static IReadOnlyList<string> EnumChoices(Type enumType) =>
        Enum.GetValues(enumType).Cast<Enum>().Select(ForEnumValue).ToArray();

    public static bool TryParseEnum(Type enumType, string text, out object? value)
    {
        foreach (Enum candidate in Enum.GetValues(enumType))
        {
            if (string.Equals(ForEnumValue(candidate), text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = null;
        return false;
    }

    private static string Separate(string name, char separator)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLower = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                var previousIsUpper = i > 0 && char.IsUpper(name[i - 1]);
                if (i > 0 && (previousIsLower || (previousIsUpper && nextIsLower)))
                {
                    builder.Append(separator);
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
