package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// configArg finds the last -config value anywhere on the command line.
func configArg(args []string) (string, bool) {
	path, found := "", false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasVal {
			path, found = val, true
		} else if i+1 < len(args) {
			path, found = args[i+1], true
			i++
		}
	}
	return path, found
}

// forward runs the command in the daemon when one answers on data_dir's
// socket; ok false means none did and the command runs here.
func (a *app) forward(args []string) (code int, ok bool) {
	path := a.configPath
	if p, ok := configArg(args); ok {
		path = p // -config after the command, which only the command's flags parse
	}
	cfg, err := a.loadConfig(path)
	if err != nil {
		return 0, false // running here reports the config error
	}
	c, err := net.DialTimeout("unix", socketPath(cfg.DataDir), dialTimeout)
	if err != nil {
		return 0, false // no daemon: a missing or stale socket
	}
	defer c.Close()
	// The client writes the files a command names (backup, -out): never the
	// live store, which the daemon would go on writing unlinked.
	for _, arg := range args {
		_, v, _ := strings.Cut(arg, "=")
		for _, p := range []string{arg, v} {
			if p != "" && isStoreFile(p, cfg.DataDir) {
				fmt.Fprintf(a.stderr, "triagebot: %s: %v\n", p, errStoreTarget)
				return exitUsage, true
			}
		}
	}
	defer c.Close()
	stop := context.AfterFunc(a.ctx, func() { c.Close() })
	defer stop()
	w := bufio.NewWriter(c)
	if err := writeLine(c, w, request{V: protoVersion, Args: args}); err != nil {
		return 0, false
	}
	c.SetWriteDeadline(time.Time{})
	code, err = a.receive(c, w, args)
	if err != nil {
		if a.ctx.Err() != nil {
			fmt.Fprintln(a.stderr, "triagebot: interrupted")
			return exitInterrupted, true
		}
		fmt.Fprintf(a.stderr, "triagebot: the running daemon did not finish the command: %v\n", err)
		return exitError, true
	}
	return code, true
}

// receive plays the daemon's frames out: stdout, stderr, files, the exit
// code.
func (a *app) receive(c net.Conn, w *bufio.Writer, args []string) (int, error) {
	r := bufio.NewReaderSize(c, 64<<10)
	var file *os.File
	var target string
	defer func() {
		if file != nil {
			file.Close()
			os.Remove(file.Name())
		}
	}()
	for {
		line, err := readLine(r, maxFrame)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, errors.New("it closed the connection")
			}
			return 0, err
		}
		var f frame
		if err := json.Unmarshal(line, &f); err != nil {
			return 0, fmt.Errorf("%w: %v", errProtocol, err)
		}
		switch f.T {
		case frameOut:
			a.stdout.Write(f.D)
		case frameErr:
			a.stderr.Write(f.D)
		case frameFileOpen:
			// Only a file this command line named, one at a time.
			if file != nil || !slices.Contains(args, f.Path) && !slices.ContainsFunc(args, func(s string) bool { return strings.HasSuffix(s, "="+f.Path) }) {
				return 0, fmt.Errorf("%w: file %q not asked for", errProtocol, f.Path)
			}
			// A file that cannot be created is answered now; the daemon
			// reads the answer after its last byte.
			dir := dirOf(f.Path)
			err := os.MkdirAll(dir, 0o755)
			if err == nil {
				file, err = os.CreateTemp(dir, ".triagebot-*")
			}
			if err != nil {
				file = nil
				if err := writeLine(c, w, ack{Err: err.Error()}); err != nil {
					return 0, err
				}
				continue
			}
			target = f.Path
		case frameFileData:
			if file == nil {
				continue // the open failed: the daemon hears at close
			}
			if _, err := file.Write(f.D); err != nil {
				file.Close()
				os.Remove(file.Name())
				file = nil
				if err := writeLine(c, w, ack{Err: err.Error()}); err != nil {
					return 0, err
				}
			}
		case frameFileClose, frameFileAbort:
			if file == nil {
				continue // already answered
			}
			err := file.Sync()
			if cerr := file.Close(); err == nil {
				err = cerr
			}
			if err == nil && f.T == frameFileClose {
				err = os.Rename(file.Name(), target)
			}
			os.Remove(file.Name())
			file = nil
			if f.T == frameFileAbort {
				continue
			}
			a2 := ack{OK: err == nil}
			if err != nil {
				a2.Err = err.Error()
			}
			if err := writeLine(c, w, a2); err != nil {
				return 0, err
			}
		case frameExit:
			return f.Code, nil
		default:
			return 0, fmt.Errorf("%w: frame %q", errProtocol, f.T)
		}
	}
}

// clientPaths makes the file a served command reads (feeds import FILE,
// retrain -from FILE) absolute: the daemon runs the command in its own
// working directory, so a relative name would be looked up there, not
// where the user typed it. Anything else, and a command line the command
// will refuse anyway, is left as it is.
func clientPaths(args []string) []string {
	i := commandIndex(args)
	if i >= 0 && args[i] == "retrain" {
		return retrainPaths(args, i)
	}
	if i < 0 || i+2 > len(args) || args[i] != "feeds" || args[i+1] != "import" {
		return args
	}
	fs := flag.NewFlagSet("feeds import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	importFlags(fs)
	rest := args[i+2:]
	at := positions(fs, rest)
	if len(at) != 1 || filepath.IsAbs(rest[at[0]]) {
		return args
	}
	abs, err := filepath.Abs(rest[at[0]])
	if err != nil {
		return args
	}
	out := slices.Clone(args)
	out[i+2+at[0]] = abs
	return out
}

// positions is parse that reports where the positional arguments are.
// fs.Args() is always a tail of what fs.Parse was given, so an index is
// the length consumed so far.
func positions(fs *flag.FlagSet, args []string) []int {
	var at []int
	n := len(args)
	for {
		if err := fs.Parse(args); err != nil {
			return nil
		}
		args = fs.Args()
		if len(args) == 0 {
			return at
		}
		if args[0] == "--" {
			for j := 1; j < len(args); j++ {
				at = append(at, n-len(args)+j)
			}
			return at
		}
		at = append(at, n-len(args))
		args = args[1:]
	}
}

// retrainPaths makes retrain's -from FILE (or -from=FILE, one or two
// dashes) absolute.
func retrainPaths(args []string, i int) []string {
	out := slices.Clone(args)
	for j := i + 1; j < len(out); j++ {
		name, val, hasVal := strings.Cut(strings.TrimLeft(out[j], "-"), "=")
		if !strings.HasPrefix(out[j], "-") || name != "from" {
			continue
		}
		if !hasVal {
			if j+1 < len(out) && out[j+1] != "" && !filepath.IsAbs(out[j+1]) {
				if abs, err := filepath.Abs(out[j+1]); err == nil {
					out[j+1] = abs
				}
			}
			j++
			continue
		}
		if val != "" && !filepath.IsAbs(val) {
			if abs, err := filepath.Abs(val); err == nil {
				out[j] = out[j][:len(out[j])-len(val)] + abs
			}
		}
	}
	return out
}
