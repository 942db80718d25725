using Clovers.Monitor.Shared.Auth;

namespace Clovers.Monitor.Client.Auth;

/// <summary>
/// Adds the header the server requires on every cookie-authenticated POST, PUT, PATCH and DELETE
/// (see <see cref="CsrfHeader"/>), so no page has to remember it.
/// </summary>
public sealed class CsrfHeaderHandler : DelegatingHandler
{
    public CsrfHeaderHandler()
    {
    }

    public CsrfHeaderHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && !request.Headers.Contains(CsrfHeader.Name))
        {
            request.Headers.Add(CsrfHeader.Name, CsrfHeader.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
