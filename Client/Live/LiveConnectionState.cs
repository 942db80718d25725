namespace Clovers.Monitor.Client.Live;

/// <summary>How the browser's live link to the server stands, as the header pill shows it.</summary>
public enum LiveConnectionState
{
    Connecting,
    Connected,
    Reconnecting,
    Disconnected,
}
