#!/bin/sh
# Entrypoint of the mosquitto container: builds the password file from the secrets in the
# environment at every start (nothing secret is committed or kept in a volume), gives the
# broker a private copy of the ACL, then runs mosquitto in the foreground.
#
#   MQTT_SERVER_USERNAME    the Server's login (the ACL names it)
#   MQTT_SERVER_PASSWORD    its password
#   MQTT_AGENT_CREDENTIALS  "agent-id:password" pairs separated by spaces; the agent logs in
#                           with username = agent id, which the ACL's %u patterns rely on
set -eu

run_dir=/mosquitto/run
passwd_file="$run_dir/passwd"
acl_file="$run_dir/acl"

fail() {
    echo "clovers mosquitto: $*" >&2
    exit 1
}

check_password() {
    # $1 whose password, $2 the password
    case "$2" in
        "") fail "the password of $1 is empty" ;;
        change-me*) fail "the password of $1 is still the placeholder from .env.example: choose a secret" ;;
        *[!A-Za-z0-9._~+=-]*) fail "the password of $1 may only hold letters, digits and . _ ~ + = -" ;;
    esac
    if [ "${#2}" -lt 16 ]; then
        fail "the password of $1 is shorter than 16 characters"
    fi
}

: "${MQTT_SERVER_USERNAME:?MQTT_SERVER_USERNAME is not set}"
: "${MQTT_SERVER_PASSWORD:?MQTT_SERVER_PASSWORD is not set}"
check_password "$MQTT_SERVER_USERNAME" "$MQTT_SERVER_PASSWORD"

umask 077
mkdir -p "$run_dir"
rm -f "$passwd_file"
touch "$passwd_file"
mosquitto_passwd -b "$passwd_file" "$MQTT_SERVER_USERNAME" "$MQTT_SERVER_PASSWORD"

# No globbing while splitting the list: a password must never expand to file names.
set -f
seen=" $MQTT_SERVER_USERNAME "
for pair in ${MQTT_AGENT_CREDENTIALS:-}; do
    agent_id="${pair%%:*}"
    password="${pair#*:}"
    if [ "$agent_id" = "$pair" ]; then
        fail "'$agent_id' in MQTT_AGENT_CREDENTIALS has no ':password'"
    fi
    # The protocol's id rule: a topic level without wildcards, lower case, at most 32 characters.
    if ! printf '%s' "$agent_id" | grep -Eq '^[a-z0-9][a-z0-9_-]{0,31}$'; then
        fail "agent id '$agent_id' breaks the rule ^[a-z0-9][a-z0-9_-]{0,31}\$"
    fi
    case "$seen" in
        *" $agent_id "*) fail "user '$agent_id' is listed twice (or is the Server's user)" ;;
    esac
    seen="$seen$agent_id "
    check_password "agent $agent_id" "$password"
    mosquitto_passwd -b "$passwd_file" "$agent_id" "$password"
done
set +f

cp /mosquitto/config/acl "$acl_file"
# mosquitto 2 warns about (and later versions refuse) files that others can read or that the
# broker user does not own.
chown mosquitto:mosquitto "$run_dir" "$passwd_file" "$acl_file"
chmod 0700 "$run_dir"
chmod 0600 "$passwd_file" "$acl_file"
chown -R mosquitto:mosquitto /mosquitto/data

echo "clovers mosquitto: password file written for $(echo "$seen" | wc -w) user(s)"
# Started as root, mosquitto switches to the mosquitto user itself.
exec /usr/sbin/mosquitto -c /mosquitto/config/mosquitto.conf
