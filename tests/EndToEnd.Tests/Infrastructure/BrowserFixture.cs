using Microsoft.Playwright;

namespace Clovers.Monitor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for a whole collection, driven by Playwright. Playwright never
/// downloads a browser here: it launches the system one with flags that keep it off the network.
/// Started on first use, so that tests which never open a page do not need Chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Bound for every wait on a page: WebAssembly start-up on a small machine included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly SemaphoreSlim _startLock = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>
    /// A new tab in the shared browser context. Tabs share the HTTP cache, so the WebAssembly
    /// runtime is downloaded once per run rather than once per test.
    /// </summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await GetContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _startLock.Dispose();
    }

    private async Task<IBrowserContext> GetContextAsync()
    {
        await _startLock.WaitAsync();
        try
        {
            if (_context is null)
            {
                Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
                Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
                _playwright ??= await Playwright.CreateAsync();
                _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ChromiumPath,
                    Headless = true,
                    Args = ChromiumArguments,
                    Timeout = (float)Timeout.TotalMilliseconds,
                });
                _context = await _browser.NewContextAsync();
            }

            return _context;
        }
        finally
        {
            _startLock.Release();
        }
    }
}
