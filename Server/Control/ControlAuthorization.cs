namespace Clovers.Monitor.Server.Control;

/// <summary>Who may use the control API: experts only, once accounts exist.</summary>
internal static class ControlAuthorization
{
    public static void Require(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
    }
}
