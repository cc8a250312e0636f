package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/topoforge/topoforge/auth"
	tfhttp "github.com/topoforge/topoforge/http"
	"github.com/topoforge/topoforge/persistence"
)

// Config is everything `topoforge serve` can be told, by flag or by environment variable
// (TOPOFORGE_ + the flag name upper-cased with '-' as '_'; a flag on the command line wins).
type Config struct {
	Addr          string
	DataDir       string
	JWTSecret     string
	AccessTTL     time.Duration
	RefreshTTL    time.Duration
	LogLevel      string
	PprofAddr     string
	MemoryLimitMB int
	HTTP          tfhttp.Config
	Store         persistence.Options
	LoginFailures int
	LoginWindow   time.Duration
	DetectorIdle  time.Duration
	// CommitInterval is actors.Config.ResultCommitInterval.
	CommitInterval time.Duration
	StreamIdle     time.Duration
	StreamRelease  time.Duration
	SnapshotEvery  int
}

// parseServeFlags parses the serve subcommand's flags and environment into a Config.
func parseServeFlags(args []string, getenv func(string) string) (Config, error) {
	var c Config
	var memMB, vlogMB, cacheMB int
	var resultSync time.Duration
	var resultCompression string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", ":8000", "listen address")
	fs.StringVar(&c.DataDir, "data", "./data", "data directory (embedded Badger store and generated secrets)")
	fs.StringVar(&c.JWTSecret, "jwt-secret", "", "JWT signing secret, at least 32 bytes; when empty a random one is generated once and kept in the data directory")
	fs.DurationVar(&c.AccessTTL, "access-ttl", time.Hour, "access token lifetime")
	fs.DurationVar(&c.RefreshTTL, "refresh-ttl", 30*24*time.Hour, "refresh token lifetime")
	fs.IntVar(&c.MemoryLimitMB, "memory-limit-mb", 0, "soft memory limit for the Go runtime in MiB (debug.SetMemoryLimit); 0: none")
	fs.StringVar(&c.PprofAddr, "pprof-addr", "", "serve net/http/pprof on this address (e.g. 127.0.0.1:6060); empty: off")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug (adds one line per request), info, warn, error")
	fs.IntVar(&c.HTTP.MaxBodyBytes, "max-body-bytes", 1<<20, "largest accepted request body in bytes (larger: 413)")
	fs.IntVar(&c.HTTP.MaxUploadBytes, "max-upload-bytes", 100<<20, "largest dataset upload (POST /api/v1/datasets and /upload) in bytes")
	fs.IntVar(&c.HTTP.MaxDatasetRows, "max-dataset-rows", 1000000, "most rows in one dataset (more: 413 naming max_rows)")
	fs.IntVar(&c.HTTP.MaxDatasetColumns, "max-dataset-columns", 1000, "most columns in one dataset (more: 413 naming max_columns)")
	fs.IntVar(&c.HTTP.MaxFrameBytes, "max-frame-bytes", 16<<10, "largest /ws/stream frame; larger ones get an error frame")
	fs.IntVar(&c.HTTP.WS.MaxClients, "max-ws-clients", 10000, "concurrent WebSocket connections (more: 503)")
	fs.IntVar(&c.HTTP.WS.SendQueue, "ws-send-queue", 128, "frames queued for a WebSocket client before it counts as slow and is dropped")
	fs.DurationVar(&c.HTTP.WS.PongWait, "ws-pong-wait", 60*time.Second, "a silent WebSocket client is dropped after this long (pings every 90% of it)")
	fs.DurationVar(&c.HTTP.TrainTimeout, "train-timeout", 10*time.Minute, "longest training request")
	fs.DurationVar(&c.HTTP.BatchWait, "batch-wait", 5*time.Second, "batch and experiment requests answer 202 after this long, with the job continuing")
	fs.DurationVar(&c.DetectorIdle, "detector-idle", 10*time.Minute, "an idle detector actor passivates after this long (<0: never)")
	fs.DurationVar(&c.CommitInterval, "result-commit-interval", 0, "least time between two group commits of detection results (0 or <0: none); when not set, 1ms with -result-sync-interval 0 (each commit then costs a sync) and none otherwise")
	fs.DurationVar(&resultSync, "result-sync-interval", 100*time.Millisecond, "detection results are acknowledged once the OS holds them (they survive a crash or kill -9 of the server) and synced to disk this often, so a power loss can lose the last interval's; 0: every result batch is synced before it is acknowledged. Everything else is always synced first")
	fs.StringVar(&resultCompression, "result-compression", "snappy", "compression of the detection log's tables: snappy, zstd or none (a stored shuttle result takes 158, 113 or 360 bytes on disk)")
	fs.DurationVar(&c.StreamIdle, "stream-idle", 5*time.Minute, "a stream actor without clients stops after this long (its snapshot stays)")
	fs.IntVar(&c.SnapshotEvery, "snapshot-every", 1000, "events between stream snapshots")
	fs.DurationVar(&c.StreamRelease, "stream-release", 30*time.Second, "an idle stream frees its window buffers after this long (rebuilt on the next event)")
	fs.DurationVar(&c.HTTP.ReadTimeout, "read-timeout", 30*time.Second, "time to read one request")
	fs.DurationVar(&c.HTTP.WriteTimeout, "write-timeout", 30*time.Second, "time to write one response")
	fs.DurationVar(&c.HTTP.IdleTimeout, "idle-timeout", 2*time.Minute, "keep-alive idle timeout")
	fs.IntVar(&c.HTTP.MaxConns, "max-conns", 10000, "maximum concurrent connections")
	fs.IntVar(&c.HTTP.MaxConnsPerIP, "max-conns-per-ip", 0, "maximum concurrent connections per client IP (0: unlimited)")
	fs.DurationVar(&c.HTTP.AskTimeout, "ask-timeout", 10*time.Second, "time an actor has to answer one request (then 504)")
	fs.IntVar(&c.HTTP.RateLimits.Anonymous, "rate-limit-anonymous", 1000, "requests per hour per IP without credentials (<0: unlimited)")
	fs.IntVar(&c.HTTP.RateLimits.Viewer, "rate-limit-viewer", 1000, "requests per hour per viewer (<0: unlimited)")
	fs.IntVar(&c.HTTP.RateLimits.User, "rate-limit-user", 1000, "requests per hour per user (<0: unlimited)")
	fs.IntVar(&c.HTTP.RateLimits.Admin, "rate-limit-admin", 10000, "requests per hour per admin (<0: unlimited)")
	fs.IntVar(&c.HTTP.BcryptCost, "bcrypt-cost", 10, "bcrypt cost for password hashes (4..31)")
	fs.IntVar(&c.LoginFailures, "login-max-failures", 5, "failed logins within -login-window that lock a username")
	fs.DurationVar(&c.LoginWindow, "login-window", 15*time.Minute, "lockout window")
	fs.IntVar(&memMB, "badger-memtable-mb", 64, "Badger memtable size in MiB (min 8)")
	fs.IntVar(&vlogMB, "badger-vlog-mb", 256, "Badger value-log file size in MiB")
	fs.IntVar(&cacheMB, "badger-block-cache-mb", 64, "Badger block cache in MiB")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := applyEnv(fs, getenv); err != nil {
		return c, err
	}
	commitSet := false
	fs.Visit(func(f *flag.Flag) { commitSet = commitSet || f.Name == "result-commit-interval" })
	if !commitSet && resultSync == 0 {
		c.CommitInterval = time.Millisecond
	}
	if c.HTTP.BcryptCost < 4 || c.HTTP.BcryptCost > 31 {
		return c, fmt.Errorf("-bcrypt-cost %d: must be 4..31", c.HTTP.BcryptCost)
	}
	if memMB < 8 {
		return c, fmt.Errorf("-badger-memtable-mb %d: must be at least 8", memMB)
	}
	if resultSync < 0 {
		return c, fmt.Errorf("-result-sync-interval %v: must not be negative", resultSync)
	}
	if c.DataDir == "" {
		return c, errors.New("-data: must not be empty")
	}
	if _, err := persistence.ParseCompression(resultCompression); err != nil {
		return c, fmt.Errorf("-result-compression: %w", err)
	}
	c.Store = persistence.Options{
		Dir:              filepath.Join(c.DataDir, "badger"),
		LogSyncInterval:  resultSync,
		LogCompression:   resultCompression,
		MemTableSize:     int64(memMB) << 20,
		ValueLogFileSize: int64(vlogMB) << 20,
		BlockCacheSize:   int64(cacheMB) << 20,
	}
	return c, nil
}

// applyEnv sets every flag not given on the command line from TOPOFORGE_<NAME> when set.
func applyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := "TOPOFORGE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(env); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
		}
	})
	return err
}

// logLevel parses -log-level.
func logLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("-log-level %q: %w", s, err)
	}
	return l, nil
}

// secretFile is where a generated JWT secret is kept, inside the data directory.
const secretFile = "jwt.secret"

// loadOrCreateSecret returns the configured secret, or the one kept in dir, generating and saving
// a random 48-byte one (hex, mode 0600) the first time.
func loadOrCreateSecret(configured, dir string) ([]byte, error) {
	if configured != "" {
		if len(configured) < auth.MinSecretLen {
			return nil, fmt.Errorf("-jwt-secret: must be at least %d bytes", auth.MinSecretLen)
		}
		return []byte(configured), nil
	}
	path := filepath.Join(dir, secretFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		s := strings.TrimSpace(string(b))
		if len(s) < auth.MinSecretLen {
			return nil, fmt.Errorf("secret in %s is shorter than %d bytes", path, auth.MinSecretLen)
		}
		return []byte(s), nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	s := hex.EncodeToString(auth.NewSecret(48))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("close %s: %w", path, err)
	}
	return []byte(s), nil
}
