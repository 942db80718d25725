using Clovers.Monitor.Shared.Protocol;

namespace Clovers.Monitor.Benchmarks.Reference;

/// <summary>One store under the reference workload: SQLite in-process, or a database server over HTTP.</summary>
internal interface IReferenceTarget : IAsyncDisposable
{
    /// <summary>Name and version, as printed.</summary>
    string Name { get; }

    /// <summary>Writes one batch and returns once the store has accepted it.</summary>
    Task WriteAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken);

    /// <summary>Makes everything written so far visible to queries (a no-op where it already is).</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Min, max, mean and count of one channel over [from, to) in buckets of <paramref name="width"/>
    /// aligned to the Unix epoch; returns how many readings the buckets counted, to check the answer.
    /// </summary>
    Task<long> QueryAsync(string channel, DateTimeOffset from, DateTimeOffset to, TimeSpan width, CancellationToken cancellationToken);
}
