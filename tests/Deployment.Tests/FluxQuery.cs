using System.Text.RegularExpressions;

namespace Clovers.Monitor.Deployment.Tests;

/// <summary>
/// What a Flux query says about the stored layout: the columns it reads from rows
/// (<c>r.channel</c>, <c>r["channel"]</c>) and the string values it compares them with.
/// </summary>
public sealed partial class FluxQuery(string text)
{
    public string Text { get; } = text;

    public IReadOnlyList<string> ColumnsRead =>
        [.. ColumnRegex().Matches(Text).Select(match => match.Groups["dot"].Success ? match.Groups["dot"].Value : match.Groups["index"].Value).Distinct()];

    /// <summary>Values compared with <c>==</c> against <paramref name="column"/>.</summary>
    public IReadOnlyList<string> ValuesComparedWith(string column) =>
        [.. EqualityRegex().Matches(Text)
            .Where(match => (match.Groups["dot"].Success ? match.Groups["dot"].Value : match.Groups["index"].Value) == column)
            .Select(match => match.Groups["value"].Value)];

    [GeneratedRegex(@"\br(?:\.(?<dot>[A-Za-z_][A-Za-z0-9_]*)|\[""(?<index>[^""]+)""\])", RegexOptions.CultureInvariant)]
    private static partial Regex ColumnRegex();

    [GeneratedRegex(@"\br(?:\.(?<dot>[A-Za-z_][A-Za-z0-9_]*)|\[""(?<index>[^""]+)""\])\s*==\s*""(?<value>[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex EqualityRegex();
}
