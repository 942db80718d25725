using AngleSharp.Html.Parser;
using Clovers.Monitor.Server.Logbook;

namespace Clovers.Monitor.Server.Tests.Logbook;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("before <script src=\"https://evil.example/x.js\"></script> after")]
    [InlineData("```html\n<script>alert(1)</script>\n```")]
    public void ToHtml_ScriptTag_IsNoElement(string markdown)
    {
        var document = Parse(_renderer.ToHtml(markdown));

        Assert.Empty(document.QuerySelectorAll("script"));
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    public void ToHtml_DangerousLink_HasNoDangerousHref(string markdown)
    {
        var document = Parse(_renderer.ToHtml(markdown));

        Assert.DoesNotContain(
            document.QuerySelectorAll("[href]"),
            a => !a.GetAttribute("href")!.StartsWith("http", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("![x](https://example.org/a.png \"t\" onerror=alert(1))")]
    [InlineData("<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>")]
    [InlineData("<div onmouseover=alert(1)>hover</div>")]
    public void ToHtml_EventHandlerAttribute_IsNoAttribute(string markdown)
    {
        var document = Parse(_renderer.ToHtml(markdown));

        Assert.DoesNotContain(document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void ToHtml_RawHtml_IsShownAsText()
    {
        var html = _renderer.ToHtml("<b>bold?</b>");

        Assert.Contains("&lt;b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_Markdown_IsFormatted()
    {
        var document = Parse(_renderer.ToHtml("**LN2** refilled, see [elog](https://example.org/e/1)\n\n- one\n- two"));

        Assert.Equal("LN2", document.QuerySelector("strong")?.TextContent);
        Assert.Equal(2, document.QuerySelectorAll("li").Length);
        Assert.Equal("noopener noreferrer nofollow", document.QuerySelector("a")?.GetAttribute("rel"));
    }

    private static AngleSharp.Html.Dom.IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);
}
