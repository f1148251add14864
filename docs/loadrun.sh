#!/usr/bin/env bash
# Load run: the real binary polls FEEDS (default 1,000) feeds x 50 items
# served from loopback, twice (the second poll should transfer no bodies), and reports
# wall time and peak RSS. Needs python3 (for a static file server) and GNU
# time. Everything stays on 127.0.0.1; it stops by itself.
#
#   bash docs/loadrun.sh            # 50,000 items
#   FEEDS=4000 bash docs/loadrun.sh # 200,000 items
set -euo pipefail
feeds=${FEEDS:-1000}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/triagebot" ./cmd/triagebot
mkdir -p "$work/feeds"
python3 - "$work/feeds" "$feeds" <<'PY'
import sys, os
out, nfeeds = sys.argv[1], int(sys.argv[2])
body = "Researchers and product teams reported results &amp; launches this week. " * 7
for n in range(nfeeds):
    items = []
    for i in range(50):
        items.append(f"<item><title>Feed {n} story {i}: a company ships a model with new features</title>"
                     f"<link>https://f{n}.example.com/2026/11/{i}/story-{i}?utm_source=rss</link>"
                     f"<guid>https://f{n}.example.com/?p={i}</guid>"
                     f"<pubDate>Tue, 24 Nov 2026 {i%24:02d}:{i%60:02d}:00 +0000</pubDate>"
                     f"<description><![CDATA[<p>{body}</p>]]></description></item>")
    with open(os.path.join(out, f"{n}.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Feed {n}</title><link>https://f{n}.example.com/</link><description>load</description>"
                + "".join(items) + "</channel></rss>")
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/feeds" >/dev/null 2>&1 &
server=$!
sleep 1
{
  echo "data_dir: $work/data"
  echo "timezone: UTC"
  echo "poll: {allow_private_networks: true, workers: 8, per_host: 8, retention_weeks: 0}"
  echo "feeds:"
  for n in $(seq 0 $((feeds - 1))); do echo "  - {name: \"feed $n\", url: \"http://127.0.0.1:$port/$n.xml\", kind: news}"; done
} > "$work/config.yaml"
for round in first second; do
  /usr/bin/time -v "$work/triagebot" -config "$work/config.yaml" poll -all > "$work/$round.out" 2> "$work/$round.time"
  echo "$round poll: $(tail -1 "$work/$round.out")"
  grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$work/$round.time" | sed 's/^\s*/  /'
done
echo "second poll outcomes: $(grep -c 'not modified' "$work/second.out") of $feeds feeds not modified"
