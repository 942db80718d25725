namespace Clovers.Monitor.Simulation.Platform;

/// <summary>Seeded random draws the models need: uniform, Gaussian, Poisson, random walks.</summary>
internal sealed class NoiseSource(int seed)
{
    // System.Random with a seed is stable across runs and platforms: what determinism needs.
    private readonly Random _random = new(seed);

    public double Uniform(double low, double high) => low + ((high - low) * _random.NextDouble());

    public double Gaussian(double sigma)
    {
        // Box–Muller; 1 - U keeps the logarithm away from zero.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Counts of a Poisson process with mean <paramref name="mean"/>.</summary>
    public long Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 50)
        {
            // The normal approximation is within a fraction of a percent here and costs O(1).
            return Math.Max(0, (long)Math.Round(mean + Gaussian(Math.Sqrt(mean))));
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

    /// <summary>True with the probability that a Poisson event of <paramref name="perHour"/> happens within <paramref name="dt"/>.</summary>
    public bool Happens(double perHour, TimeSpan dt) =>
        perHour > 0 && _random.NextDouble() < 1.0 - Math.Exp(-perHour * dt.TotalHours);

    public void Shuffle<T>(T[] items) => _random.Shuffle(items);
}

/// <summary>
/// A slow wander that returns to zero (Ornstein–Uhlenbeck): the drift of a well-regulated
/// quantity, with stationary spread <c>sigma</c> and memory <c>tau</c>.
/// </summary>
internal sealed class Wander(double sigma, TimeSpan tau)
{
    public double Value { get; private set; }

    public void Advance(NoiseSource noise, TimeSpan dt)
    {
        var decay = Math.Exp(-dt / tau);
        Value = (Value * decay) + noise.Gaussian(sigma * Math.Sqrt(1.0 - (decay * decay)));
    }
}
