using System.Text.RegularExpressions;

namespace Clovers.Monitor.Deployment.Tests;

/// <summary>One <c>${NAME}</c>, <c>${NAME:-default}</c>, <c>${NAME:?error}</c>, <c>$NAME</c> or Grafana's <c>$__env{NAME}</c> in a file.</summary>
public sealed record VariableUse(string Name, string? Default)
{
    public bool HasDefault => Default is not null;
}

/// <summary>Docker compose (and Grafana provisioning) variable interpolation, as far as these files use it.</summary>
public static partial class Interpolation
{
    public static IReadOnlyList<VariableUse> Uses(string text)
    {
        var uses = new List<VariableUse>();
        foreach (Match match in VariableRegex().Matches(text.Replace("$$", string.Empty, StringComparison.Ordinal)))
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
            var modifier = match.Groups["modifier"].Value;
            var hasDefault = modifier is ":-" or "-";
            uses.Add(new VariableUse(name, hasDefault ? match.Groups["rest"].Value : null));
        }

        return uses;
    }

    /// <summary>Replaces every variable by its value in <paramref name="values"/>, else its default, else "".</summary>
    public static string Resolve(string text, IReadOnlyDictionary<string, string> values) =>
        VariableRegex().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
            if (values.TryGetValue(name, out var value) && (value.Length > 0 || match.Groups["modifier"].Value != ":-"))
            {
                return value;
            }

            return match.Groups["modifier"].Value is ":-" or "-" ? match.Groups["rest"].Value : string.Empty;
        });

    [GeneratedRegex(@"\$(?:__env\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?<modifier>:-|-|:\?|\?)(?<rest>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))", RegexOptions.CultureInvariant)]
    private static partial Regex VariableRegex();
}
