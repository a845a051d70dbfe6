#!/usr/bin/env bash
# End-to-end check of the installed wizard in a real terminal (tmux).
#
# Runs `wslwizard --demo` in a detached tmux session at 80x24, presses keys,
# and checks what the screen shows; then the wide layout (120x40), the pager
# (App.suspend with less), NO_COLOR with a basic TERM, and the fallback to
# the check report when stdout is not a terminal.
#
# Usage: scripts/e2e_tmux.sh [WSLWIZARD_COMMAND]
#   WSLWIZARD_COMMAND defaults to $WSLWIZARD, else `wslwizard` on PATH.
# Exit status 0 when every check passed; the failing screen is printed.

set -euo pipefail

WSLWIZARD="${1:-${WSLWIZARD:-wslwizard}}"
SESSION="wslwizard-e2e-$$"
SCREEN_FILE="$(mktemp)"
STATUS_FILE="$(mktemp)"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -f "$SCREEN_FILE" "$STATUS_FILE"' EXIT

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }
# shellcheck disable=SC2086  # the command may carry arguments (python -m ...)
command -v ${WSLWIZARD%% *} >/dev/null || { echo "not found: $WSLWIZARD" >&2; exit 2; }

fail() {
    echo "FAIL: $*" >&2
    echo "----- screen -----" >&2
    cat "$SCREEN_FILE" >&2
    exit 1
}

capture() {
    tmux capture-pane -p -t "$SESSION" >"$SCREEN_FILE" 2>/dev/null || true
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT.
wait_for() {
    local text="$1" limit="${2:-15}" waited=0
    while true; do
        capture
        if grep -qF -- "$text" "$SCREEN_FILE"; then
            return 0
        fi
        if (( waited >= limit * 10 )); then
            fail "did not see: $text"
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}

# wait_gone TEXT: until the screen no longer shows TEXT.
wait_gone() {
    local text="$1" waited=0
    while true; do
        capture
        grep -qF -- "$text" "$SCREEN_FILE" || return 0
        (( waited >= 100 )) && fail "still showing: $text"
        sleep 0.1
        waited=$((waited + 1))
    done
}

keys() {
    # A lone Escape followed at once by a key reads as Alt+key; callers wait
    # for the screen to change after Escape.
    tmux send-keys -t "$SESSION" "$@"
}

start() {  # start WIDTH HEIGHT [ENV...]
    local width="$1" height="$2"
    shift 2
    : >"$STATUS_FILE"
    tmux new-session -d -s "$SESSION" -x "$width" -y "$height" \
        "env $* $WSLWIZARD --demo; echo \$? >$STATUS_FILE; sleep 60"
}

exit_status() {
    local waited=0
    while [[ ! -s "$STATUS_FILE" ]]; do
        (( waited >= 100 )) && fail "the wizard did not exit"
        sleep 0.1
        waited=$((waited + 1))
    done
    cat "$STATUS_FILE"
}

echo "1. 80x24: verdict, marker, panels, keys"
start 80 24 "TERM=xterm-256color"
wait_for "Recorded machine: demo, not this machine"
wait_for "Docker Desktop cannot start because the network driver it needs (tun)"
wait_for "All 4 checks answered."
wait_for "Driver tun"
wait_for "Next step: Load the tun driver now."
keys 3
wait_for "Log: Docker Desktop backend"
keys f
wait_for "Marked line:"
keys "?"
wait_for "Docker Desktop runs its engine inside WSL 2"
keys Escape
wait_for "Next step: Load the tun driver now."
keys w
wait_for "How long it lasts:"
keys Escape
wait_for "Next step: Load the tun driver now."
keys e
wait_for "What shows it:"
keys Escape
wait_for "Next step: Load the tun driver now."
keys 2
wait_for "Press c to copy them as text"

echo "2. the pager: the terminal is lent to less and comes back"
keys p
wait_for "(END)"
keys q
wait_for "Next step: Load the tun driver now."

echo "3. resize to 120x40: every panel at once"
tmux resize-window -t "$SESSION" -x 120 -y 40
wait_for "What you can do"
wait_for "Options that apply here, recommended first:"
wait_for "Versions"
keys q
status="$(exit_status)"
[[ "$status" == "1" ]] || fail "exit status $status, expected 1 (a problem was found)"
tmux kill-session -t "$SESSION"

echo "4. NO_COLOR and a basic TERM still read"
start 80 24 "NO_COLOR=1" "TERM=vt100"
wait_for "Recorded machine: demo, not this machine"
wait_for "✖ Driver tun"
keys C-c
status="$(exit_status)"
[[ "$status" == "1" ]] || fail "ctrl+c: exit status $status, expected 1"
tmux kill-session -t "$SESSION"

echo "5. not a terminal: the check report, and why"
# shellcheck disable=SC2086
output="$($WSLWIZARD --demo </dev/null 2>&1 | cat || true)"
grep -qF "not a terminal, so printing the check report" <<<"$output" \
    || { echo "$output" >&2; fail "no fallback report"; }
grep -qF "tun-not-loaded" <<<"$output" || { echo "$output" >&2; fail "no finding"; }

echo "e2e: all checks passed"
