using System.Text.Json;
using System.Text.RegularExpressions;
using Clovers.Monitor.Shared.Control;

namespace Clovers.Monitor.Simulation.Tests.Control;

/// <summary>The request and reply examples of the Control section of docs/protocol.md parse as the agent and the Server read them.</summary>
public sealed partial class ControlProtocolDocumentTests
{
    [Fact]
    public void ControlSection_RequestExample_ParsesAsASetHvRequest()
    {
        var request = JsonSerializer.Deserialize(Examples()[0], ControlJsonContext.Default.ControlRequest)!;

        Assert.Equal((ControlCommands.SetHv, "sd2a", 1520.0), (request.Command, request.Pmt, request.Volts));
    }

    [Fact]
    public void ControlSection_ReplyExample_ParsesAsAnAcceptedReply()
    {
        var reply = JsonSerializer.Deserialize(Examples()[1], ControlJsonContext.Default.ControlReply)!;

        Assert.Equal((ControlOutcome.Accepted, 1500.0), (reply.Outcome, reply.PreviousVolts));
    }

    private static List<string> Examples()
    {
        var document = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "protocol.md"));
        var section = document[document.IndexOf("## Control: request and reply", StringComparison.Ordinal)..];
        return [.. JsonFence().Matches(section).Select(m => m.Groups["json"].Value)];
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Clovers.Monitor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (Clovers.Monitor.sln) is not above the test's folder.");
    }

    [GeneratedRegex("```json\\n(?<json>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex JsonFence();
}
