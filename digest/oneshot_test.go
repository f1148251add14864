package digest

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

var (
	oneshot     = flag.Bool("oneshot", false, "TestOneShotBuild: time one Build of 100,000 items in this process, its CPU and page faults")
	oneshotJSON = flag.String("oneshot.json", "", "TestOneShotBuild: also write the digests of benchItems(100000) (without and with a history, and every story) and of builderCases to this file, to compare two trees")
)

// TestOneShotBuild measures what a process that builds once pays: one
// Build of a week of 100,000 items, the CPU it takes (user and system)
// and the pages it touches fresh (minor faults), which on a virtual
// machine cost as much as a third of the build. The benchmarks cannot
// show it: their later builds reuse pages the first one faulted in. Run
// it in a fresh process each time:
//
//	go test -c -o /tmp/digest.test ./digest
//	/tmp/digest.test -test.run OneShot -test.v -oneshot
//
// It also lists the scratch memory a Builder holds after such a build,
// by field (what a build touches, grouping's part of it).
func TestOneShotBuild(t *testing.T) {
	if !*oneshot && *oneshotJSON == "" {
		t.Skip("pass -oneshot (long; measures one build per process)")
	}
	items := benchItems(100_000)
	o := Options{Since: since, Until: until, PerSection: 10, Now: until, Location: time.UTC, Language: "en", Languages: []string{"en", "zh"}}
	// The items' own garbage returned to the system, so the build's
	// memory is as fresh as in a process that just read its items.
	runtime.GC()
	debug.FreeOSMemory()
	cpu0, flt0, t0 := cpuTime(), minorFaults(), time.Now()
	d, err := Build(items, nil, o)
	cpu, flt, wall := cpuTime()-cpu0, minorFaults()-flt0, time.Since(t0)
	if err != nil {
		t.Fatal(err)
	}
	if d.ItemCount != len(items) {
		t.Fatalf("%d items in the digest, want %d", d.ItemCount, len(items))
	}
	t.Logf("one Build of %d items: cpu %.1f ms, wall %.1f ms, %d minor faults (%.1f MB at 4 KiB)",
		len(items), cpu.Seconds()*1e3, wall.Seconds()*1e3, flt, float64(flt)*4096/1e6)
	var b Builder
	if _, err := b.Build(items, nil, o); err != nil {
		t.Fatal(err)
	}
	sizes := scratchSizes(reflect.ValueOf(&b.s).Elem(), "")
	names := make([]string, 0, len(sizes))
	total := 0
	for k, v := range sizes {
		names = append(names, k)
		total += v
	}
	sort.Slice(names, func(i, j int) bool { return sizes[names[i]] > sizes[names[j]] })
	for _, k := range names {
		if sizes[k] >= 100_000 {
			t.Logf("scratch %-16s %6.2f MB", k, float64(sizes[k])/1e6)
		}
	}
	t.Logf("scratch total    %6.2f MB (maps not counted)", float64(total)/1e6)
	if *oneshotJSON != "" {
		writeDigests(t, *oneshotJSON, items, o)
	}
}

// scratchSizes adds up the arrays under v (the capacity of every slice,
// arenas' chunks included), by top-level field, an array two fields
// share counted once; pointers are not followed (the items are the
// caller's).
func scratchSizes(v reflect.Value, field string) map[string]int {
	out := map[string]int{}
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value, field string)
	walk = func(v reflect.Value, field string) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				f := field
				if f == "" {
					f = v.Type().Field(i).Name
				}
				walk(v.Field(i), f)
			}
		case reflect.Slice:
			if p := v.Pointer(); p != 0 {
				if seen[p] {
					return
				}
				seen[p] = true
			}
			out[field] += v.Cap() * int(v.Type().Elem().Size())
			if k := v.Type().Elem().Kind(); k == reflect.Slice || k == reflect.Struct {
				for i := range v.Cap() {
					walk(v.Slice(0, v.Cap()).Index(i), field)
				}
			}
		case reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), field)
			}
		}
	}
	walk(v, field)
	return out
}

// writeDigests writes the digests of items (without a history, with one,
// and every story), then those of builderCases, as JSON lines to path.
func writeDigests(t *testing.T, path string, items []news.Item, o Options) {
	history := benchHistory(5_000)
	withHistory := o
	withHistory.Points = 3
	every := o
	every.All = true
	var out []byte
	for _, c := range []struct {
		history []news.Item
		o       Options
	}{{nil, o}, {history, withHistory}, {nil, every}} {
		d, err := Build(items, c.history, c.o)
		if err != nil {
			t.Fatal(err)
		}
		j, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, j...), '\n')
	}
	// Small inputs unlike the benchmark's: golden, hostile and Chinese
	// text, picks, tags, options of every kind.
	for _, tc := range builderCases() {
		d, err := Build(tc.items, tc.history, tc.o)
		if err != nil {
			out = append(out, err.Error()...)
			out = append(out, '\n')
			continue
		}
		j, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, j...), '\n')
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
