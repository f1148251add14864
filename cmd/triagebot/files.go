package main

import (
	"fmt"
	"io"
	"os"
)

// openInput opens a command's one optional input: the named file, or
// stdin when there is none or it is "-". name is what error messages call
// it; done closes the file and is never nil.
func (a *app) openInput(pos []string) (in io.Reader, name string, done func(), err error) {
	if len(pos) == 0 || pos[0] == "-" {
		return a.stdin, "stdin", func() {}, nil
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return nil, "", nil, fmt.Errorf("open %s: %w", pos[0], err)
	}
	return f, pos[0], func() { f.Close() }, nil
}

// writeTo writes a command's output to stdout, or with -o to the named
// file the way writeOutput does (whole or not at all), so a failed write
// or close is reported instead of leaving half a file behind.
func (a *app) writeTo(path string, write func(io.Writer) error) error {
	if path == "" {
		return write(a.stdout)
	}
	return a.writeOutput(path, write)
}
