#!/bin/sh
# Writes .env from .env.example with every change-me placeholder replaced by a fresh random
# secret (48 hex digits). Refuses to overwrite an existing .env.
set -eu

cd "$(dirname "$0")/.."
if [ -e .env ]; then
    echo ".env exists already; edit it, or move it away to generate a new one" >&2
    exit 1
fi

umask 077
awk '
{
    while (match($0, /change-me-[A-Za-z0-9-]*/)) {
        command = "od -An -tx1 -N24 /dev/urandom | tr -d \" \\n\""
        command | getline secret
        close(command)
        $0 = substr($0, 1, RSTART - 1) secret substr($0, RSTART + RLENGTH)
    }
    print
}' .env.example > .env
echo "wrote .env with new secrets (mode 0600); keep a copy in your password manager"
