using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clovers.Monitor.Server.Alarms.Persistence;

/// <summary>
/// One JSON shape for rules and state snapshots, in <c>state.db</c> and on the rules API alike:
/// web defaults (camelCase), enums as names, rules with their <c>kind</c> discriminator. A rule set
/// read back from the API can be stored and loaded unchanged.
/// </summary>
public static class AlarmJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
