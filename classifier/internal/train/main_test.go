package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTrainingFilesRefusesToBuildWithoutData(t *testing.T) {
	dir := t.TempDir()
	_, err := trainingFiles(nil, dir)
	if !errors.Is(err, errNoData) || !strings.Contains(err.Error(), "dev.jsonl") || !strings.Contains(err.Error(), "-data") {
		t.Fatalf("missing data: err = %v", err)
	}
	for _, f := range []string{"dev.jsonl", "train.jsonl"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := trainingFiles(nil, dir)
	if err != nil || len(got) != 2 {
		t.Fatalf("with data: %v, %v", got, err)
	}
	own := []string{"mine.jsonl"}
	if got, err := trainingFiles(own, "/nonexistent"); err != nil || !slices.Equal(got, own) {
		t.Fatalf("own files: %v, %v", got, err)
	}
}
