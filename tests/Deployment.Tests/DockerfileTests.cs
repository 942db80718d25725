using System.Xml.Linq;

namespace Clovers.Monitor.Deployment.Tests;

public sealed class DockerfileTests
{
    public static TheoryData<string> DockerfilePaths => ["Server/Dockerfile", "EdgeAgent/Dockerfile"];

    public static TheoryData<string, string> DockerfilesWithProjects => new()
    {
        { "Server/Dockerfile", "Server/Clovers.Monitor.Server.csproj" },
        { "EdgeAgent/Dockerfile", "EdgeAgent/Clovers.Monitor.EdgeAgent.csproj" },
    };

    [Theory]
    [MemberData(nameof(DockerfilePaths))]
    public void FinalStage_User_IsNotRoot(string dockerfile)
    {
        var finalStage = FinalStage(Instructions(dockerfile));

        var user = finalStage.LastOrDefault(instruction => instruction.Keyword == "USER")?.Arguments;

        Assert.NotNull(user);
        Assert.DoesNotContain(user.Split(':')[0], new[] { "root", "0" });
    }

    [Theory]
    [MemberData(nameof(DockerfilePaths))]
    public void Stages_BuildAndRun_UseDotnet10Images(string dockerfile)
    {
        var images = Instructions(dockerfile).Where(instruction => instruction.Keyword == "FROM")
            .Select(instruction => instruction.Arguments.Split(' ')[0]).ToList();

        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", images[0]);
        Assert.Matches("^mcr\\.microsoft\\.com/dotnet/(aspnet|runtime):10\\.0$", images[^1]);
    }

    [Theory]
    [MemberData(nameof(DockerfilesWithProjects))]
    public void Restore_ProjectFilesCopiedFirst_CoverEveryProjectReference(string dockerfile, string project)
    {
        var instructions = Instructions(dockerfile);
        var restore = instructions.FindIndex(instruction => instruction.Keyword == "RUN" && instruction.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "no dotnet restore step");

        var copiedBeforeRestore = instructions.Take(restore)
            .Where(instruction => instruction.Keyword == "COPY")
            .SelectMany(instruction => instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToHashSet(StringComparer.Ordinal);

        var missing = ProjectClosure(project).Where(path => !copiedBeforeRestore.Contains(path))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" }.Where(path => !copiedBeforeRestore.Contains(path)));

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(DockerfilePaths))]
    public void CopySources_FromTheBuildContext_ExistInTheRepository(string dockerfile)
    {
        var sources = Instructions(dockerfile)
            .Where(instruction => instruction.Keyword == "COPY" && !instruction.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(instruction => instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1));

        var missing = sources.Where(source => !File.Exists(RepositoryFiles.PathOf(source)) && !Directory.Exists(RepositoryFiles.PathOf(source)));

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("**/bin/")]
    [InlineData("**/obj/")]
    [InlineData("**/TestResults/")]
    [InlineData("**/data/")]
    [InlineData(".git/")]
    [InlineData(".env")]
    public void DockerIgnore_HostOutputStateAndSecrets_AreExcluded(string pattern)
    {
        var lines = RepositoryFiles.ReadAllText(".dockerignore").Split('\n').Select(line => line.Trim());

        Assert.Contains(pattern, lines);
    }

    /// <summary>The project and every project it references, transitively, as repository paths.</summary>
    private static IReadOnlyList<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(RepositoryFiles.PathOf(current))!;
            foreach (var reference in XDocument.Load(RepositoryFiles.PathOf(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar)));
                pending.Push(Path.GetRelativePath(RepositoryFiles.Root, full).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        return [.. found];
    }

    private static List<Instruction> FinalStage(List<Instruction> instructions) =>
        instructions.Skip(instructions.FindLastIndex(instruction => instruction.Keyword == "FROM")).ToList();

    private static List<Instruction> Instructions(string dockerfile)
    {
        var instructions = new List<Instruction>();
        var pending = string.Empty;
        foreach (var rawLine in RepositoryFiles.ReadAllText(dockerfile).Split('\n'))
        {
            var line = rawLine.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = string.Empty;
            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(new Instruction(whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
        }

        return instructions;
    }

    private sealed record Instruction(string Keyword, string Arguments);
}
