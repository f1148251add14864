package main

// The control socket: bbolt lets one process hold the file for writing,
// and `run` holds it for as long as it runs, so a CLI command that needs
// the store while the daemon runs asks the daemon to run it.
//
// `run` listens on data_dir/triagebot.sock (mode 0600, same user only,
// removed on a clean stop; a leftover from a crash is replaced, since the
// daemon holds the store's lock nothing else can be serving it). A store
// command first dials the socket; when a daemon answers it sends its
// arguments, the daemon runs the same command code on its open store and
// model, and streams back stdout, stderr and the exit code. When no daemon
// answers, the command opens the file itself.
//
// The protocol is JSON lines, bounded at each step: a request of at most
// 64 KiB sent within 5 s, frames of at most 1 MiB, one command at a time
// (at most maxClients connections wait), and a client that stops reading
// is cut off after 30 s. Files a command writes (backup FILE, digest -out
// FILE) travel back as frames and the client writes them: the daemon never
// writes to a path a client names. The client uses its own config only to
// find data_dir; the command runs with the daemon's config.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/store"
)

// SocketName is the control socket's name inside data_dir.
const SocketName = "triagebot.sock"

const (
	protoVersion    = 1
	maxRequest      = 64 << 10
	maxFrame        = 1 << 20
	maxArgs         = 64
	maxArgLen       = 4096
	chunk           = 32 << 10
	requestTimeout  = 5 * time.Second
	writeTimeout    = 30 * time.Second
	ackTimeout      = 2 * time.Minute
	maxClients      = 4
	dialTimeout     = time.Second
	frameOut        = "out"
	frameErr        = "err"
	frameFileOpen   = "open"
	frameFileData   = "data"
	frameFileClose  = "close"
	frameFileAbort  = "abort"
	frameExit       = "exit"
	exitInterrupted = 130
)

var errProtocol = errors.New("control: protocol error")

// servedCommand says whether a command needs the store, and so runs in the
// daemon when one holds it. Commands that read the client's files or
// stdin (classify, eval) never do.
func servedCommand(name string) bool {
	switch name {
	case "items", "feeds", "tag", "untag", "pick", "unpick", "retrain", "reclassify", "digest", "backup", "check", "poll":
		return true
	}
	return false
}

type request struct {
	V    int      `json:"v"`
	Args []string `json:"args"`
}

type frame struct {
	T    string `json:"t"`
	D    []byte `json:"d,omitempty"`
	Path string `json:"p,omitempty"`
	Code int    `json:"c,omitempty"`
	Err  string `json:"e,omitempty"`
}

type ack struct {
	OK  bool   `json:"ok"`
	Err string `json:"e,omitempty"`
}

func socketPath(dataDir string) string { return filepath.Join(dataDir, SocketName) }

// readLine reads one newline-terminated line of at most max bytes.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		part, err := r.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > max {
			return nil, fmt.Errorf("%w: line longer than %d bytes", errProtocol, max)
		}
		if err == nil {
			return line, nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

func writeLine(c net.Conn, w *bufio.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.SetWriteDeadline(time.Now().Add(writeTimeout))
	w.Write(b)
	w.WriteByte('\n')
	return w.Flush()
}

// commandName finds the command in a full argument list, past the global
// flags (-config PATH, -config=PATH, -v, in one- or two-dash form).
func commandName(args []string) string {
	if i := commandIndex(args); i >= 0 {
		return args[i]
	}
	return ""
}

// commandIndex is where commandName's command is in args, or -1.
func commandIndex(args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			return i
		}
		if a == "--" {
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		}
		name := strings.TrimLeft(a, "-")
		if name == "config" {
			i++ // its value
		}
	}
	return -1
}

// controlServer serves CLI commands on the daemon's open store.
type controlServer struct {
	ln     net.Listener
	cfg    *config.Config
	st     *store.Store
	model  *classifier.Model
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc // stops the commands in flight at close

	run     sync.Mutex    // one command at a time
	slots   chan struct{} // connections being served
	wg      sync.WaitGroup
	timeout time.Duration // for a client to send its request
}

// listenControl opens the control socket in data_dir. The caller holds
// the store's lock, so a socket file already there is a crash's leftover.
func listenControl(ctx context.Context, cfg *config.Config, st *store.Store, m *classifier.Model, log *slog.Logger) (*controlServer, error) {
	path := socketPath(cfg.DataDir)
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("control: %s exists and is not a socket; move it away", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("control: remove stale socket: %w", err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control: listen on %s: %w", path, err)
	}
	// Connections are also checked for the same user (peerAllowed), so
	// the instant before this chmod lets nobody else in.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	return &controlServer{ln: ln, cfg: cfg, st: st, model: m, log: log, ctx: ctx, cancel: cancel,
		slots: make(chan struct{}, maxClients), timeout: requestTimeout}, nil
}

// start serves clients until close.
func (cs *controlServer) start() {
	cs.wg.Add(1)
	go cs.serve()
}

func (cs *controlServer) serve() {
	defer cs.wg.Done()
	for {
		c, err := cs.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				cs.log.Error("control socket", "err", err)
			}
			return
		}
		select {
		case cs.slots <- struct{}{}:
		default:
			w := bufio.NewWriter(c)
			writeLine(c, w, frame{T: frameErr, D: []byte("triagebot: the daemon is busy with other commands; try again\n")})
			writeLine(c, w, frame{T: frameExit, Code: exitError})
			c.Close()
			continue
		}
		cs.wg.Add(1)
		go func() {
			defer cs.wg.Done()
			defer func() { <-cs.slots }()
			cs.handle(c)
		}()
	}
}

// close stops listening (removing the socket file) and waits for the
// commands in flight, which must finish before the store closes.
func (cs *controlServer) close() {
	cs.ln.Close()
	cs.cancel()
	cs.wg.Wait()
}

// served is what a command run for a client uses instead of opening the
// store: the daemon's parts and the connection to the client.
type served struct {
	cfg   *config.Config
	st    *store.Store
	model *classifier.Model
	conn  *clientConn
}

// clientConn is one client's connection, written by the command's stdout,
// stderr and logs from any goroutine.
type clientConn struct {
	mu     sync.Mutex
	c      net.Conn
	r      *bufio.Reader
	w      *bufio.Writer
	err    error
	cancel context.CancelFunc
}

func (cc *clientConn) send(f frame) error {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.err != nil {
		return cc.err
	}
	if err := writeLine(cc.c, cc.w, f); err != nil {
		// The client left or stopped reading: stop the command.
		cc.err = fmt.Errorf("control: client gone: %w", err)
		cc.cancel()
	}
	return cc.err
}

// stream is stdout, stderr or a file's bytes going to the client.
type stream struct {
	cc *clientConn
	t  string
}

func (s stream) Write(p []byte) (int, error) {
	for off := 0; off < len(p); off += chunk {
		if err := s.cc.send(frame{T: s.t, D: p[off:min(off+chunk, len(p))]}); err != nil {
			return off, err
		}
	}
	return len(p), nil
}

// sendFile streams a file the command writes to the client, which writes
// it and says whether that worked.
func (sv *served) sendFile(path string, write func(io.Writer) error) error {
	cc := sv.conn
	if err := cc.send(frame{T: frameFileOpen, Path: path}); err != nil {
		return err
	}
	if err := write(stream{cc, frameFileData}); err != nil {
		cc.send(frame{T: frameFileAbort, Err: err.Error()})
		return err
	}
	if err := cc.send(frame{T: frameFileClose}); err != nil {
		return err
	}
	cc.c.SetReadDeadline(time.Now().Add(ackTimeout))
	line, err := readLine(cc.r, maxRequest)
	if err != nil {
		return fmt.Errorf("control: no answer from the client: %w", err)
	}
	var a ack
	if err := json.Unmarshal(line, &a); err != nil {
		return fmt.Errorf("%w: bad ack: %v", errProtocol, err)
	}
	if !a.OK {
		return errors.New(a.Err)
	}
	return nil
}

func (cs *controlServer) handle(c net.Conn) {
	defer c.Close()
	ctx, cancel := context.WithCancel(cs.ctx)
	defer cancel()
	// At shutdown, unblock a handler waiting on a slow or stopped client
	// (a file ack, a full socket buffer), so stopping never waits minutes.
	unblock := context.AfterFunc(cs.ctx, func() { c.SetDeadline(time.Now()) })
	defer unblock()
	cc := &clientConn{c: c, r: bufio.NewReaderSize(c, 64<<10), w: bufio.NewWriterSize(c, 64<<10), cancel: cancel}
	refuse := func(code int, format string, args ...any) {
		cc.send(frame{T: frameErr, D: fmt.Appendf(nil, "triagebot: "+format+"\n", args...)})
		cc.send(frame{T: frameExit, Code: code})
	}
	if err := peerAllowed(c); err != nil {
		cs.log.Warn("control socket: refused a connection", "err", err)
		refuse(exitError, "%v", err)
		return
	}
	c.SetReadDeadline(time.Now().Add(cs.timeout))
	line, err := readLine(cc.r, maxRequest)
	if err != nil {
		refuse(exitUsage, "bad request: %v", err)
		return
	}
	c.SetReadDeadline(time.Time{})
	var req request
	if err := json.Unmarshal(line, &req); err != nil || req.V != protoVersion {
		refuse(exitUsage, "bad request: want protocol version %d", protoVersion)
		return
	}
	if len(req.Args) > maxArgs || slices.ContainsFunc(req.Args, func(s string) bool { return len(s) > maxArgLen }) {
		refuse(exitUsage, "bad request: at most %d arguments of %d bytes", maxArgs, maxArgLen)
		return
	}
	name := commandName(req.Args)
	if !servedCommand(name) {
		refuse(exitUsage, "the daemon does not run %q; run it without the daemon", name)
		return
	}
	cs.run.Lock()
	defer cs.run.Unlock()
	if ctx.Err() != nil {
		return
	}
	cs.log.Debug("control command", "command", name)
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: stream{cc, frameOut}, stderr: stream{cc, frameErr},
		level: new(slog.LevelVar), served: &served{cfg: cs.cfg, st: cs.st, model: cs.model, conn: cc}}
	code := a.main(req.Args)
	cc.send(frame{T: frameExit, Code: code})
}
