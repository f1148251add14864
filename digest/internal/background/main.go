// Command background builds digest/background.bin, the document-frequency
// table that steadies story grouping's IDF: every term of the labelled
// feed items as grouping reads them, kept as hashed keys and counts (no
// text). It is what `go generate ./digest` runs; the same inputs give the
// same bytes.
//
//	go run ./internal/background -out background.bin            (from digest/)
//	go run ./internal/background -out background.bin FILE ...    (your own JSONL)
//
// Data: JSONL items given as arguments, by default the team's dev.jsonl
// and train.jsonl in ../../shared/eval (outside the repository). Without
// them it stops with an error rather than write a table from nothing. The
// feed captures (../shared/feeds) are never read: they may not be used in
// the project's build.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/internal/atomicfile"
	"github.com/triagebot/triagebot/news"
)

func main() {
	log.SetFlags(0)
	out := flag.String("out", "", "write the table here")
	dataDir := flag.String("data", "../../shared/eval", "directory holding dev.jsonl and train.jsonl, used when no files are given")
	flag.Parse()
	if *out == "" {
		log.Fatal("give -out FILE")
	}
	files, err := dataFiles(flag.Args(), *dataDir)
	if err != nil {
		log.Fatal(err)
	}
	var items []*news.Item
	for _, f := range files {
		ex, err := read(f)
		if err != nil {
			log.Fatal(err)
		}
		for k := range ex {
			items = append(items, &ex[k].Item)
		}
	}
	if err := atomicfile.WriteFile(*out, digest.BackgroundTable(items), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d items from %d files\n", *out, len(items), len(files))
}

// errNoData: the default data files are missing.
var errNoData = errors.New("background: data not found")

// dataFiles are the given files, else dataDir's dev.jsonl and train.jsonl,
// which must exist: a table from less would silently change grouping.
func dataFiles(args []string, dataDir string) ([]string, error) {
	if len(args) > 0 {
		return args, nil
	}
	files := []string{filepath.Join(dataDir, "dev.jsonl"), filepath.Join(dataDir, "train.jsonl")}
	for _, f := range files {
		if _, err := os.Stat(f); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s is missing. The table is counted from labelled JSONL kept outside the repository; "+
				"point -data at the directory holding dev.jsonl and train.jsonl, or give your own files", errNoData, f)
		}
	}
	return files, nil
}

func read(path string) ([]classifier.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("background: %w", err)
	}
	defer f.Close()
	ex, err := classifier.ReadExamples(f)
	if err != nil {
		return nil, fmt.Errorf("background: %s: %w", path, err)
	}
	return ex, nil
}
