using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Curation.Core.Config;
using Curation.Core.Stages;

namespace Curation.Cli.Commands.Stages;

/// <summary>One parameter of a stage kind as a pipeline file writes it, with its default.</summary>
internal sealed record StageOptionInfo(string Name, string Default);

/// <summary>A stage kind as <c>curate stages</c> lists it.</summary>
internal sealed record StageInfo(string Kind, string Description, IReadOnlyList<StageOptionInfo> Options, IReadOnlyList<string> Rules);

/// <summary>Describes registered stage kinds from their registrations: parameters and defaults come from the options types themselves.</summary>
internal static class StageListing
{
    public const string Required = "required";
    public const string NoDefault = "none";

    public static IReadOnlyList<StageInfo> Describe(StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return [.. registry.Stages.Select(Describe)];
    }

    private static StageInfo Describe(StageDescriptor descriptor)
    {
        var defaults = Activator.CreateInstance(descriptor.OptionsType)!;
        var options = OptionsBinder.BindableProperties(descriptor.OptionsType)
            .Select(property => new StageOptionInfo(ConfigNames.ForProperty(property.Name), DefaultOf(property, defaults)))
            .ToList();
        return new StageInfo(descriptor.Kind, descriptor.Description, options, descriptor.Rules);
    }

    private static string DefaultOf(PropertyInfo property, object defaults) =>
        property.GetCustomAttribute<RequiredAttribute>() is not null ? Required : Format(property.GetValue(defaults));

    private static string Format(object? value) => value switch
    {
        null => NoDefault,
        bool flag => flag ? "true" : "false",
        Enum choice => ConfigNames.ForEnumValue(choice),
        string text => text,
        IDictionary map => map.Count == 0 ? "{}" : "{" + string.Join(", ", map.Keys.Cast<object>().Select(key => $"{Format(key)}: {Format(map[key])}")) + "}",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? NoDefault,
    };
}
