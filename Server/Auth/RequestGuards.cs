using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Server.Auth;

/// <summary>
/// Cross-site request forgery and cross-site WebSocket guard, and the security headers of every
/// answer.
/// <para>
/// Why a required header rather than antiforgery tokens: the dashboard is a WebAssembly app that
/// talks JSON to the API, never posts HTML forms, so a token would have to be fetched, kept and
/// sent by script anyway. A custom header gives the same proof more simply: a cross-site HTML form
/// cannot set one, and a cross-site script can set one only after a CORS preflight this server
/// never grants. The session cookie is also SameSite=Strict. Bearer-token requests carry no
/// ambient credentials, so they need no header; the login itself does (no login CSRF).
/// </para>
/// </summary>
internal static partial class RequestGuards
{
    /// <summary>
    /// Blazor WebAssembly needs 'wasm-unsafe-eval' to compile its runtime; Plotly and Blazor set
    /// inline styles; the hub connects back to this host. Nothing may frame the page. The one
    /// inline script, Blazor's import map, is allowed by its hash (see <see cref="WithScriptHashes"/>).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self' 'wasm-unsafe-eval'" + ScriptHashesMarker + "; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "worker-src 'self' blob:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    private const string ScriptHashesMarker = "{hashes}";

    /// <summary>Inline scripts of an HTML page: no src attribute, content captured.</summary>
    [GeneratedRegex("<script(?![^>]*\\bsrc\\s*=)[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineScript();

    /// <summary>The policy allowing exactly the inline scripts of <paramref name="html"/>, by their SHA-256.</summary>
    public static string WithScriptHashes(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var hashes = InlineScript().Matches(html)
            .Select(m => " 'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value))) + "'")
            .Distinct(StringComparer.Ordinal);
        return ContentSecurityPolicy.Replace(ScriptHashesMarker, string.Concat(hashes), StringComparison.Ordinal);
    }

    public static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    public static async Task AddSecurityHeadersAsync(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = ContentSecurityPolicy.Replace(ScriptHashesMarker, string.Empty, StringComparison.Ordinal);
        if (!IsApplicationPage(context.Request))
        {
            await next();
            return;
        }

        // The page of the app (a few kB) is held back until rendered, so that the policy can
        // carry the hash of its import map, which differs with every build.
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true && !context.Response.HasStarted)
        {
            headers.ContentSecurityPolicy = WithScriptHashes(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }

        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>A GET of a page route: not the API, not the hub, not a file.</summary>
    private static bool IsApplicationPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
        && !Path.HasExtension(request.Path.Value);

    public static async Task CheckCrossSiteAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        var cookieSession = context.User.Identity is { IsAuthenticated: true, AuthenticationType: AuthSchemes.Cookie };
        var isLogin = request.Path.Equals(AuthRoutes.Login, StringComparison.OrdinalIgnoreCase);
        var unsafeMethod = IsUnsafe(request.Method);

        // A WebSocket upgrade is a GET, but it opens a channel to the hub: same origin only.
        var webSocket = context.WebSockets.IsWebSocketRequest || request.Headers.ContainsKey("Sec-WebSocket-Key");
        if ((cookieSession || isLogin) && (unsafeMethod || webSocket) && !SameOrigin(request))
        {
            await RefuseAsync(context, "The request comes from another site.");
            return;
        }

        if ((cookieSession || isLogin) && unsafeMethod && !ApiTokenAuthenticationHandler.HasBearer(request)
            && !string.Equals(request.Headers[CsrfHeader.Name], CsrfHeader.Value, StringComparison.Ordinal))
        {
            await RefuseAsync(context, $"A {request.Method} with the session cookie must carry the header {CsrfHeader.Name}: {CsrfHeader.Value}.");
            return;
        }

        await next();
    }

    /// <summary>An Origin header, when the browser sends one, must name this host.</summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static Task RefuseAsync(HttpContext context, string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused").ExecuteAsync(context);
}
