#!/usr/bin/env bash
# The one test command: installs what the tests need (mosquitto, chromium, redis-server), builds
# once, runs every test project and ends with a single summary line
# "N passed, N failed[, N skipped]".
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

configuration=Release
results_dir="TestResults"

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
# Playwright drives the system Chromium; it must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

install_missing_packages() {
    local missing=()
    [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
    command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/bin/redis-server ] || missing+=(redis-server)
    if [ "${#missing[@]}" -eq 0 ]; then
        return
    fi

    echo "Installing ${missing[*]}"
    # The end-to-end fixtures start their own mosquitto and redis-server on free ports; a system
    # daemon on 1883 or 6379, should a package start one, is never used.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_missing_packages

if ! dotnet build Clovers.Monitor.sln -c "$configuration" -v quiet -nologo -clp:NoSummary; then
    echo "Build failed: no test ran" >&2
    echo "0 passed, 0 failed"
    exit 1
fi

rm -rf "$results_dir"
mkdir -p "$results_dir"

passed=0
failed=0
skipped=0

# Reads one attribute of the <Counters> element of a TRX file.
counter() {
    local name="$1" file="$2"
    grep -o "<Counters [^>]*" "$file" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0
}

for project in tests/*/*.csproj; do
    name="$(basename "$project" .csproj)"
    trx="$results_dir/$name.trx"
    echo "== $name"
    status=0
    dotnet test "$project" -c "$configuration" --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results_dir" || status=$?

    if [ -f "$trx" ]; then
        p="$(counter passed "$trx")"
        f="$(counter failed "$trx")"
        e="$(counter error "$trx")"
        t="$(counter timeout "$trx")"
        a="$(counter aborted "$trx")"
        # xunit's skipped tests are not in the counters, only in their results' outcome.
        s="$(grep -o '<UnitTestResult [^>]*>' "$trx" | grep -c 'outcome="NotExecuted"' || true)"
        passed=$((passed + p))
        failed=$((failed + f + e + t + a))
        skipped=$((skipped + s))
        if [ "$status" -ne 0 ] && [ $((f + e + t + a)) -eq 0 ]; then
            # A crashed test host can leave a TRX with no failures: still a failure.
            echo "$name: test run failed (exit $status) without a failed test" >&2
            failed=$((failed + 1))
        fi
    elif [ "$status" -ne 0 ]; then
        echo "$name: no test results (exit $status)" >&2
        failed=$((failed + 1))
    fi
done

summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then
    summary="$summary, $skipped skipped"
fi
echo "$summary"

if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
