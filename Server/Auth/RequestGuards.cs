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
internal static class RequestGuards
{
    /// <summary>
    /// Blazor WebAssembly needs 'wasm-unsafe-eval' to compile its runtime; Plotly and Blazor set
    /// inline styles; the hub connects back over ws(s) to this host. Nothing may frame the page.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self' 'wasm-unsafe-eval'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "worker-src 'self' blob:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public static bool IsUnsafe(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    public static Task AddSecurityHeadersAsync(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next();
    }

    public static async Task CheckCrossSiteAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        var cookieSession = context.User.Identity is { IsAuthenticated: true, AuthenticationType: AuthSchemes.Cookie };
        var isLogin = request.Path.Equals(AuthRoutes.Login, StringComparison.OrdinalIgnoreCase);
        var unsafeMethod = IsUnsafe(request.Method);

        if ((cookieSession || isLogin) && (unsafeMethod || context.WebSockets.IsWebSocketRequest) && !SameOrigin(request))
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
