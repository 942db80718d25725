using Ganss.Xss;
using Markdig;

namespace Clovers.Monitor.Server.Logbook;

/// <summary>
/// Turns logbook Markdown into HTML that is safe to show: Markdig with raw HTML disabled (a
/// <c>&lt;script&gt;</c> typed in the text stays text), then HtmlSanitizer, which keeps only
/// harmless tags and attributes and links to http, https and mailto (so <c>javascript:</c> links
/// and <c>onerror=</c> attributes are gone). Thread-safe; one instance serves every request.
/// </summary>
public sealed class MarkdownRenderer
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(
                ["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "ins", "mark", "sub", "sup", "code", "pre",
                 "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "input", "span"],
                StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "title", "type", "checked", "disabled", "align", "start"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
        };
        _sanitizer = new HtmlSanitizer(options);
        _sanitizer.PostProcessNode += (_, e) =>
        {
            // Links leave the dashboard in a new tab and give the target no handle on it.
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer nofollow");
                link.SetAttribute("target", "_blank");
            }
        };
    }

    public string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return _sanitizer.Sanitize(Markdown.ToHtml(markdown, s_pipeline));
    }
}
