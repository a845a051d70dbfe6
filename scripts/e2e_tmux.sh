#!/usr/bin/env bash
# End-to-end check of the installed wizard in a real terminal (tmux).
#
# Runs `wslwizard --demo` in a detached tmux session at 80x24, presses keys,
# and checks what the screen shows; then the wide layout (120x40), the pager
# (App.suspend with less), NO_COLOR with a basic TERM, the fallback to the
# check report when stdout is not a terminal, a whole repair (load the driver,
# with sudo -v given the real terminal through App.suspend, then restart
# Docker Desktop, the history), and an update of WSL that the next start
# checks. Repairs write their journal into a temporary state folder.
#
# Usage: scripts/e2e_tmux.sh [WSLWIZARD_COMMAND]
#   WSLWIZARD_COMMAND defaults to $WSLWIZARD, else `wslwizard` on PATH.
# Exit status 0 when every check passed; the failing screen is printed.

set -euo pipefail

WSLWIZARD="${1:-${WSLWIZARD:-wslwizard}}"
SESSION="wslwizard-e2e-$$"
# A tmux server of its own: nothing else on the machine shares (or ends) it.
SOCKET="wslwizard-e2e-$$"
SCREEN_FILE="$(mktemp)"
STATUS_FILE="$(mktemp)"
STATE_DIR="$(mktemp -d)"
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true; rm -rf "$SCREEN_FILE" "$STATUS_FILE" "$STATE_DIR"' EXIT

command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }
# shellcheck disable=SC2086  # the command may carry arguments (python -m ...)
command -v ${WSLWIZARD%% *} >/dev/null || { echo "not found: $WSLWIZARD" >&2; exit 2; }

tmux_() {
    tmux -L "$SOCKET" "$@"
}

# The server ends with its last session, and a new-session that reaches it
# while it shuts down fails ("server exited unexpectedly"). An idle session
# kept for the whole run means the server outlives every scene.
tmux_ new-session -d -s keeper -x 80 -y 24 "sleep 86400"

fail() {
    echo "FAIL: $*" >&2
    tmux_ display-message -p -t "$SESSION" "tmux window: #{window_width}x#{window_height}" >&2 || true
    echo "----- screen -----" >&2
    cat "$SCREEN_FILE" >&2
    exit 1
}

capture() {
    tmux_ capture-pane -p -t "$SESSION" >"$SCREEN_FILE" 2>/dev/null || true
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
    tmux_ send-keys -t "$SESSION" "$@"
}

start() {  # start WIDTH HEIGHT [ENV...]
    # COLUMNS and LINES (pytest-xdist sets them) would pin the wizard's size
    # and hide a resize.
    local width="$1" height="$2"
    shift 2
    : >"$STATUS_FILE"
    tmux_ new-session -d -s "$SESSION" -x "$width" -y "$height" \
        "env -u COLUMNS -u LINES WSLWIZARD_STATE_DIR=$STATE_DIR $* $WSLWIZARD --demo; echo \$? >$STATUS_FILE; sleep 60"
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
wait_for "All 4 checks answered: system, driver"
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
wait_for "Choose a repair with"
wait_for "1. Load the tun driver now  (recommended)"
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
tmux_ resize-window -t "$SESSION" -x 120 -y 40
wait_for "What you can do"
wait_for "Options that apply here"
wait_for "Versions"
keys q
status="$(exit_status)"
[[ "$status" == "1" ]] || fail "exit status $status, expected 1 (a problem was found)"
tmux_ kill-session -t "$SESSION"

echo "4. NO_COLOR and a basic TERM still read"
start 80 24 "NO_COLOR=1" "TERM=vt100"
wait_for "Recorded machine: demo, not this machine"
wait_for "✖ Driver tun"
keys C-c
status="$(exit_status)"
[[ "$status" == "1" ]] || fail "ctrl+c: exit status $status, expected 1"
tmux_ kill-session -t "$SESSION"

echo "5. not a terminal: the check report, and why"
# shellcheck disable=SC2086
output="$($WSLWIZARD --demo </dev/null 2>&1 | cat || true)"
grep -qF "not a terminal, so printing the check report" <<<"$output" \
    || { echo "$output" >&2; fail "no fallback report"; }
grep -qF "tun-not-loaded" <<<"$output" || { echo "$output" >&2; fail "no finding"; }

echo "6. a whole repair: load the driver, restart Docker Desktop, history"
start 80 24 "TERM=xterm-256color"
wait_for "Next step: Load the tun driver now."
keys w
wait_for "Choose a repair with"
keys Enter
wait_for "Load the tun driver now · step 1 of 2"
wait_for "[this distro, as root] sudo -n modprobe tun"
keys d
wait_for "Dry run: nothing was changed. Exactly this would run:"
keys Enter
wait_for "Run this step? Load the tun driver into the running kernel"
keys n
wait_for "You answered no. Nothing was run."
keys Enter
wait_for "Run this step?"
# Yes: sudo -v gets the real terminal (the wizard suspends) and asks for the
# password there, as sudo does; then the step runs and is checked.
keys y
wait_for "[sudo] password for alice:"
keys "any password" Enter
wait_for "It worked: the network driver Docker needs (tun) is in the kernel now."
wait_for "tun: loaded"
wait_for "Press Enter for step 2 of 2."
keys Enter
wait_for "Also load the tap driver (optional)"
keys Enter
wait_for "Run this step?"
keys y
wait_for "Press Enter to finish."
keys Enter
wait_for "Done: Load the tun driver now"
wait_for "Next: Restart Docker Desktop and check that its engine answers."
keys Enter
wait_for "Restart Docker Desktop and check that its engine answers · step 1 of 1"
keys Enter
wait_for "Run this step? Restart Docker Desktop"
keys y
wait_for "the engine answers (version"
keys Enter
wait_for "Done: Restart Docker Desktop and check that its engine answers"
wait_for "The journal (what ran, what it printed, how to undo it) is in"
keys r
wait_for "✔ Driver tun"
keys h
wait_for "Repairs on the recorded machine demo, newest first."
wait_for "Load the tun driver into the running kernel"
wait_for "can be undone (u)"
keys Escape
wait_gone "Repairs on the recorded machine demo, newest first."
keys q
exit_status >/dev/null
tmux_ kill-session -t "$SESSION"
entries=$(find "$STATE_DIR/journal" -name '*.json' | wc -l)
[[ "$entries" == "3" ]] || fail "journal: $entries entries, expected 3"

echo "7. an update of WSL stops at the restart; the next start checks it"
# The demo keeps what the repairs above changed; start it from its file again.
# shellcheck disable=SC2086
WSLWIZARD_STATE_DIR="$STATE_DIR" $WSLWIZARD history --demo --forget </dev/null \
    | grep -qF "starts from its file again" || fail "history --forget"
start 80 24 "TERM=xterm-256color"
wait_for "Next step: Load the tun driver now."
keys w
wait_for "Choose a repair with"
keys Down Enter
wait_for "Update WSL to a release with the fix"
wait_for "any SSH session into WSL will end"
keys Enter
wait_for "Run this step? Update WSL"
keys y
wait_for "WSL restarts now"
keys q
exit_status >/dev/null
tmux_ kill-session -t "$SESSION"
start 80 24 "TERM=xterm-256color"
wait_for "You started an update of WSL, which restarts WSL"
# The journal carried the update to this start; WSL's boot (2.5.10) loaded
# tun, so what is left is to restart Docker Desktop.
wait_for "It worked: WSL 2.5.10.0."
keys Escape
wait_for "Next step: Restart Docker Desktop and check that its engine answers."
wait_for "✔ Driver tun"
keys q
exit_status >/dev/null
tmux_ kill-session -t "$SESSION"

echo "e2e: all checks passed"
