# bench/lib.sh — shell functions shared by the bench scripts (sourced).
#
# serve_start LOG [FILE.sql]: start "$eddy serve" on a free HTTP port with
# stderr in LOG (and the statements of FILE.sql); sets spid and port; prints
# the log and exits 1 if the server does not come up within 10 s.
serve_start() {
    : > "$1"
    if [ -n "${2:-}" ]; then
        "$eddy" serve -f "$2" --listen 127.0.0.1:0 2> "$1" &
    else
        "$eddy" serve --listen 127.0.0.1:0 2> "$1" &
    fi
    spid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1")
        [ -n "$port" ] && return 0
        kill -0 "$spid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$1" >&2
    echo "$(basename "$0"): eddy serve did not start" >&2
    exit 1
}
