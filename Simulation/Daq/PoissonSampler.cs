namespace Clovers.Monitor.Simulation.Daq;

/// <summary>Seeded Poisson draws: exact (Knuth) for small means, normal approximation above 50.</summary>
internal sealed class PoissonSampler(int seed)
{
    // System.Random with a seed gives the same sequence on every run: tests rely on it.
    private readonly Random _random = new(seed);

    public long Next(double mean)
    {
        if (!(mean > 0))
        {
            return 0;
        }

        if (mean > 50)
        {
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            var gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            return Math.Max(0, (long)Math.Round(mean + (Math.Sqrt(mean) * gaussian)));
        }

        var limit = Math.Exp(-mean);
        var product = _random.NextDouble();
        long count = 0;
        while (product > limit)
        {
            count++;
            product *= _random.NextDouble();
        }

        return count;
    }

    public double NextDouble() => _random.NextDouble();
}
