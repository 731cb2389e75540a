using System.CommandLine;
using System.Globalization;
using Curation.Core;

namespace Curation.Cli.Commands;

/// <summary>
/// Range checks for a command's numeric options, made before any work: the first value out of range is one line
/// naming the option, what it accepts and what it got (exit 2). Each command lists its checks in one place.
/// </summary>
internal sealed class OptionChecks(ParseResult parseResult)
{
    /// <exception cref="CurationException">The value is below <paramref name="minimum"/>.</exception>
    public OptionChecks AtLeast(Option<int> option, int minimum) =>
        Check(option.Name, parseResult.GetValue(option), value => value >= minimum, $"at least {minimum}");

    /// <inheritdoc cref="AtLeast(Option{int}, int)"/>
    public OptionChecks AtLeast(Option<int?> option, int minimum) =>
        parseResult.GetValue(option) is { } value ? Check(option.Name, value, v => v >= minimum, $"at least {minimum}") : this;

    /// <exception cref="CurationException">The value is not a finite number at least <paramref name="minimum"/>.</exception>
    public OptionChecks AtLeast(Option<double> option, double minimum) =>
        Check(option.Name, parseResult.GetValue(option), value => double.IsFinite(value) && value >= minimum, Invariant($"a finite number at least {minimum}"));

    /// <exception cref="CurationException">The value is not a finite number above <paramref name="minimum"/>.</exception>
    public OptionChecks Above(Option<double> option, double minimum) =>
        Check(option.Name, parseResult.GetValue(option), value => double.IsFinite(value) && value > minimum, Invariant($"a finite number above {minimum}"));

    /// <summary>Checks <c>minimum ≤ value &lt; limit</c>.</summary>
    /// <exception cref="CurationException">The value is outside the range.</exception>
    public OptionChecks AtLeastAndBelow(Option<double> option, double minimum, double limit) =>
        Check(option.Name, parseResult.GetValue(option), value => value >= minimum && value < limit, Invariant($"at least {minimum} and below {limit}"));

    /// <summary>Checks <c>minimum &lt; value ≤ maximum</c>.</summary>
    /// <exception cref="CurationException">The value is outside the range.</exception>
    public OptionChecks AboveAndAtMost(Option<double> option, double minimum, double maximum) =>
        Check(option.Name, parseResult.GetValue(option), value => value > minimum && value <= maximum, Invariant($"above {minimum} and at most {maximum}"));

    /// <summary>A check that involves more than one option.</summary>
    /// <exception cref="CurationException"><paramref name="holds"/> is false; the message is <paramref name="message"/>.</exception>
    public OptionChecks That(bool holds, Func<string> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return holds ? this : throw new CurationException(message());
    }

    private OptionChecks Check<T>(string name, T value, Func<T, bool> accepts, string expected)
        where T : IFormattable =>
        accepts(value) ? this : throw new CurationException($"{name} must be {expected}; got {value.ToString(null, CultureInfo.InvariantCulture)}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
