using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace Curation.Core.Config;

/// <summary>
/// Binds a YAML mapping to an options object: keys are the snake_case names of its settable properties. Every
/// unknown key, wrong type and out-of-range value is collected with its line and column and the valid choices.
/// </summary>
public sealed class OptionsBinder
{
    private readonly string _file;
    private readonly List<ConfigError> _errors;
    private readonly Dictionary<string, ConfigPosition> _locations = new(StringComparer.Ordinal);

    public OptionsBinder(string file, List<ConfigError> errors)
    {
        _file = file;
        _errors = errors;
    }

    /// <summary>Where each bound value stands in the file, keyed <c>context.key</c> (e.g. <c>output.rejects</c>, <c>stage 'near-dedup'.clusters</c>).</summary>
    public IReadOnlyDictionary<string, ConfigPosition> Locations => _locations;

    /// <summary>Remembers where <paramref name="node"/> stands, under <paramref name="key"/>.</summary>
    public void Locate(string key, YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _locations[key] = new ConfigPosition((int)node.Start.Line, (int)node.Start.Column);
    }

    public static IReadOnlyList<PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0)
            .ToArray();

    /// <summary>Creates <paramref name="type"/> and fills it from <paramref name="node"/> (null or an empty scalar means all defaults).</summary>
    /// <param name="owner">Where a missing required parameter is reported when <paramref name="node"/> is absent (e.g. the stage's name).</param>
    public object Bind(Type type, YamlNode? node, string context, IReadOnlySet<string>? reservedKeys = null, YamlNode? owner = null)
    {
        var instance = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"cannot create {type.Name}");
        if (node is null || (node is YamlScalarNode scalar && string.IsNullOrEmpty(scalar.Value)))
        {
            Validate(instance, node ?? owner, context);
            return instance;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{context}: expected a mapping of parameters, got {Describe(node)}");
            return instance;
        }

        var properties = BindableProperties(type).ToDictionary(p => ConfigNames.ForProperty(p.Name), StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (reservedKeys?.Contains(key) == true)
            {
                continue;
            }

            if (!properties.TryGetValue(key, out var property))
            {
                var valid = properties.Keys.Concat(reservedKeys ?? new HashSet<string>()).Order(StringComparer.Ordinal);
                Error(keyNode, $"{context}: unknown parameter '{key}'; valid parameters: {string.Join(", ", valid)}");
                continue;
            }

            Locate($"{context}.{key}", valueNode);
            if (TryConvert(property.PropertyType, valueNode, $"{context}: parameter '{key}'", out var value))
            {
                property.SetValue(instance, value);
            }
        }

        Validate(instance, node, context);
        return instance;
    }

    public bool TryConvert(Type type, YamlNode node, string context, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (node is YamlScalarNode { Value: null or "" or "null" or "~" })
            {
                return true;
            }

            type = underlying;
        }

        if (type == typeof(string))
        {
            return Scalar(node, context, "a string", s => s, out value);
        }

        if (type == typeof(bool))
        {
            return Scalar(node, context, "true or false", ParseBool, out value);
        }

        if (type == typeof(int))
        {
            return Scalar(node, context, "an integer", s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, out value);
        }

        if (type == typeof(long))
        {
            return Scalar(node, context, "an integer", s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, out value);
        }

        if (type == typeof(double))
        {
            return Scalar(node, context, "a number", s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null, out value);
        }

        if (type.IsEnum)
        {
            var choices = string.Join("|", ConfigNames.EnumChoices(type));
            return Scalar(node, context, $"one of {choices}", s => ConfigNames.TryParseEnum(type, s, out var v) ? v : null, out value);
        }

        if (IsStringList(type))
        {
            return ConvertStringList(type, node, context, out value);
        }

        if (type == typeof(Dictionary<string, string>))
        {
            return ConvertStringMap(node, context, out value);
        }

        if (type.IsClass && type.GetConstructor(Type.EmptyTypes) is not null)
        {
            value = Bind(type, node, context);
            return true;
        }

        throw new InvalidOperationException($"{context}: options of type {type.Name} cannot be bound from YAML");
    }

    private static bool IsStringList(Type type) =>
        type == typeof(string[]) || type == typeof(List<string>) || type == typeof(IReadOnlyList<string>);

    private bool ConvertStringList(Type type, YamlNode node, string context, out object? value)
    {
        value = null;
        var items = new List<string>();
        if (node is YamlScalarNode single)
        {
            items.Add(single.Value ?? string.Empty);
        }
        else if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children)
            {
                if (child is not YamlScalarNode scalar)
                {
                    Error(child, $"{context}: expected a list of strings, got {Describe(child)}");
                    return false;
                }

                items.Add(scalar.Value ?? string.Empty);
            }
        }
        else
        {
            Error(node, $"{context}: expected a list of strings, got {Describe(node)}");
            return false;
        }

        value = type == typeof(string[]) ? items.ToArray() : items;
        return true;
    }

    private bool ConvertStringMap(YamlNode node, string context, out object? value)
    {
        value = null;
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{context}: expected a mapping of names to strings, got {Describe(node)}");
            return false;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode key || valueNode is not YamlScalarNode scalar)
            {
                Error(valueNode, $"{context}: expected 'name: value' pairs of strings");
                return false;
            }

            map[key.Value ?? string.Empty] = scalar.Value ?? string.Empty;
        }

        value = map;
        return true;
    }

    private bool Scalar(YamlNode node, string context, string expected, Func<string, object?> parse, out object? value)
    {
        value = null;
        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"{context}: expected {expected}, got {Describe(node)}");
            return false;
        }

        var text = scalar.Value ?? string.Empty;
        value = parse(text);
        if (value is null)
        {
            Error(node, $"{context}: expected {expected}, got '{text}'");
            return false;
        }

        return true;
    }

    private static object? ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => null,
    };

    /// <summary>
    /// Checks the bound values against their attributes (<see cref="RangeAttribute"/>, <see cref="RequiredAttribute"/>)
    /// and, when those hold, the options' own cross-field rules (<see cref="IValidatableObject"/>), in YAML terms.
    /// </summary>
    private void Validate(object instance, YamlNode? node, string context)
    {
        var before = _errors.Count;
        foreach (var property in BindableProperties(instance.GetType()))
        {
            // Only properties with rules are read: reflection builds an invoker for a getter on its second call, and
            // the canonical form reads every property once more.
            var attributes = property.GetCustomAttributes<ValidationAttribute>().ToList();
            if (attributes.Count == 0)
            {
                continue;
            }

            var value = property.GetValue(instance);
            foreach (var attribute in attributes)
            {
                if (!attribute.IsValid(value))
                {
                    var key = ConfigNames.ForProperty(property.Name);
                    Error(FindKey(node, property.Name) ?? node, attribute is RequiredAttribute
                        ? $"{context}: parameter '{key}' is required"
                        : $"{context}: parameter '{key}': expected {Expectation(attribute, property.PropertyType)}, got {Show(value)}");
                }
            }
        }

        if (_errors.Count > before || instance is not IValidatableObject validatable)
        {
            return;
        }

        foreach (var result in validatable.Validate(new ValidationContext(instance)))
        {
            var member = result.MemberNames.FirstOrDefault();
            var location = FindKey(node, member) ?? node;
            Error(location, member is null ? $"{context}: {result.ErrorMessage}" : $"{context}: parameter '{ConfigNames.ForProperty(member)}': {result.ErrorMessage}");
        }
    }

    private static string Expectation(ValidationAttribute attribute, Type type)
    {
        if (attribute is not RangeAttribute range)
        {
            return attribute.FormatErrorMessage(string.Empty);
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var kind = underlying == typeof(int) || underlying == typeof(long) ? "an integer" : "a number";
        var minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
        return range.Maximum is int.MaxValue or long.MaxValue
            ? $"{kind} of at least {minimum}"
            : $"{kind} from {minimum} to {Convert.ToString(range.Maximum, CultureInfo.InvariantCulture)}";
    }

    private static string Show(object? value) => value switch
    {
        null => "nothing",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => $"'{value}'",
    };

    private static YamlNode? FindKey(YamlNode? node, string? propertyName)
    {
        if (node is not YamlMappingNode mapping || propertyName is null)
        {
            return null;
        }

        var key = ConfigNames.ForProperty(propertyName);
        return mapping.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == key).Value;
    }

    public void Error(YamlNode? node, string message)
    {
        var line = node is null ? 0 : (int)node.Start.Line;
        var column = node is null ? 0 : (int)node.Start.Column;
        _errors.Add(new ConfigError(_file, line, column, message));
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };
}
