using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Clovers.Monitor.Server.Ingest;

/// <summary>Reading an untrusted MQTT payload as JSON, and quoting untrusted text in a refusal.</summary>
internal static class PayloadJson
{
    // Protocol messages nest a few levels; anything deeper is hostile and refused early.
    private const int MaxDepth = 16;

    /// <summary>The payload as a <typeparamref name="T"/>, or false with a short reason.</summary>
    public static bool TryDeserialize<T>(ReadOnlySequence<byte> payload, JsonTypeInfo<T> typeInfo, [NotNullWhen(true)] out T? value, out string error)
        where T : class
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
            value = JsonSerializer.Deserialize(ref reader, typeInfo);
            error = value is null ? "payload is JSON null" : string.Empty;
            return value is not null;
        }
        // InvalidOperationException: values the source generator cannot bind (a wrong enum string).
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            value = null;
            error = $"not a valid message: {Truncate(exception.Message, 160)}";
            return false;
        }
    }

    /// <summary>At most <paramref name="max"/> characters of a publisher's text, for a log line or a refusal.</summary>
    public static string Truncate(string? text, int max = 64) =>
        text is null ? "null" : text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
