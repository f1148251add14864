#!/usr/bin/env bash
# Load run: the real binary polls FEEDS (default 1,000) feeds x 50 items
# served from loopback, twice (the second poll should transfer no bodies),
# then reads the newest 20 items and builds one week's digest, and reports
# wall time, CPU time (user + system) and peak RSS of each, the RSS split
# into anonymous and file-backed pages. Item dates spread over 70 days, so the
# week is about a tenth of the store. Needs python3 (to write the feeds),
# Go (the binary and a small static file server) and GNU time. Everything
# stays on 127.0.0.1; the server is stopped on exit and stops itself after
# an hour in any case.
#
#   FEEDS=200 bash docs/loadrun.sh   # 10,000 items
#   bash docs/loadrun.sh             # 50,000 items
#   FEEDS=4000 bash docs/loadrun.sh  # 200,000 items
set -euo pipefail
feeds=${FEEDS:-1000}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/triagebot" ./cmd/triagebot
# A Go file server: with Python's http.server an earlier run lost 125 of
# 4,000 feeds (its listen backlog is 5, a likely cause with 8 workers).
mkdir -p "$work/srv" "$work/feeds"
cat > "$work/srv/main.go" <<'GO'
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Close()
	time.AfterFunc(time.Hour, func() { os.Exit(0) })
	http.Serve(ln, http.FileServer(http.Dir(os.Args[1])))
}
GO
(cd "$work/srv" && GO111MODULE=off go build -o fileserver main.go)
python3 - "$work/feeds" "$feeds" <<'PY'
import sys, os, datetime
out, nfeeds = sys.argv[1], int(sys.argv[2])
body = "Researchers and product teams reported results &amp; launches this week. " * 7
end = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.timezone.utc)
for n in range(nfeeds):
    items = []
    for i in range(50):
        t = end - datetime.timedelta(minutes=(n * 50 + i) * 7919 % (70 * 24 * 60))
        items.append(f"<item><title>Feed {n} story {i}: a company ships a model with new features</title>"
                     f"<link>https://f{n}.example.com/2026/11/{i}/story-{i}?utm_source=rss</link>"
                     f"<guid>https://f{n}.example.com/?p={i}</guid>"
                     f"<pubDate>{t.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                     f"<description><![CDATA[<p>{body}</p>]]></description></item>")
    with open(os.path.join(out, f"{n}.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Feed {n}</title><link>https://f{n}.example.com/</link><description>load</description>"
                + "".join(items) + "</channel></rss>")
PY
"$work/srv/fileserver" "$work/feeds" > "$work/port" &
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
{
  echo "data_dir: $work/data"
  echo "timezone: UTC"
  echo "poll: {allow_private_networks: true, workers: 8, per_host: 8, retention_weeks: 0}"
  echo "feeds:"
  for n in $(seq 0 $((feeds - 1))); do echo "  - {name: \"feed $n\", url: \"http://127.0.0.1:$port/$n.xml\", kind: news}"; done
} > "$work/config.yaml"
run() { # name, then the command's arguments
  local name=$1; shift
  /usr/bin/time -v "$work/triagebot" -config "$work/config.yaml" "$@" > "$work/$name.out" 2> "$work/$name.time" &
  local timer=$! pid= anon=0 file=0 a f
  # The peak RSS splits into anonymous memory (Go heap, stacks) and file
  # pages (bbolt's mapping of the store): sampled every 0.2 s, so a short
  # command's peaks may be missed (then 0).
  for _ in $(seq 20); do pid=$(pgrep -P "$timer" | head -1 || true); [ -n "$pid" ] && break; sleep 0.05; done
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
    read -r a f < <(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{print a+0, f+0}' "/proc/$pid/status" 2>/dev/null || echo "0 0")
    anon=$(( a > anon ? a : anon )); file=$(( f > file ? f : file ))
    sleep 0.2
  done
  wait "$timer"
  printf '%-14s %s cpu_s %s peak_anon_kib %s peak_file_kib %s  (%s)\n' "$name" \
    "$(grep -E 'Elapsed \(wall clock\)|Maximum resident set size' "$work/$name.time" | sed -E 's/^\s*//; s/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): /wall /; s/Maximum resident set size \(kbytes\): /maxrss_kib /' | paste -sd' ')" \
    "$(awk -F': ' '/User time|System time/{s+=$2} END{print s}' "$work/$name.time")" "$anon" "$file" \
    "$(tail -1 "$work/$name.out" | cut -c1-90)"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; $feeds feeds x 50 items"
run first-poll poll -all
run second-poll poll -all
echo "second poll outcomes: $(grep -c 'not modified' "$work/second-poll.out") of $feeds feeds not modified"
run items-20 items -limit 20
run digest digest -since 2026-11-23 -until 2026-11-30
echo "digest window: $(grep -c '' "$work/digest.out") lines of markdown; store: $(du -h "$work/data"/*.db | cut -f1)"
