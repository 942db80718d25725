namespace Clovers.Monitor.Client.Live;

/// <summary>
/// The shared routes start at the site root; made relative, they resolve against the app's base
/// address, so the dashboard also works behind a reverse proxy under a path prefix.
/// </summary>
public static class ApiPaths
{
    public static string Relative(string route) => route.TrimStart('/');

    public static Uri Resolve(Uri baseAddress, string route) => new(baseAddress, Relative(route));
}
