package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // -pprof-addr
	"runtime/debug"
	"time"

	"github.com/topoforge/topoforge/actors"
	"github.com/topoforge/topoforge/auth"
	tfhttp "github.com/topoforge/topoforge/http"
	"github.com/topoforge/topoforge/persistence"
)

// version is the build's version, reported by /health; set with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Main runs the server: store, actors, HTTP, started in that order and stopped in reverse.
// End-to-end tests use it with Addr "127.0.0.1:0" and a temp data directory.
type Main struct {
	Config Config
	Logger *slog.Logger

	store  *persistence.Badger
	engine *actors.Engine
	server *tfhttp.Server
	ln     net.Listener
	served chan error
}

// Run opens everything and starts serving in the background; Addr then gives the address.
func (m *Main) Run() (err error) {
	log := m.Logger
	if log == nil {
		log = slog.Default()
		m.Logger = log
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, m.Close())
		}
	}()
	if m.Config.MemoryLimitMB > 0 {
		debug.SetMemoryLimit(int64(m.Config.MemoryLimitMB) << 20)
	}
	t := time.Now()
	secret, err := loadOrCreateSecret(m.Config.JWTSecret, m.Config.DataDir)
	if err != nil {
		return err
	}
	issuer, err := auth.NewIssuer(secret, m.Config.AccessTTL, m.Config.RefreshTTL)
	if err != nil {
		return err
	}
	so := m.Config.Store
	so.Logger = log
	if m.store, err = persistence.Open(so); err != nil {
		return err
	}
	log.Info("store opened", "dir", so.Dir, "duration", time.Since(t))

	t = time.Now()
	m.engine, err = actors.Start(actors.Config{
		Store: m.store, Logger: log,
		LoginMaxFailures: m.Config.LoginFailures, LoginWindow: m.Config.LoginWindow,
		DetectorIdle: m.Config.DetectorIdle, ResultCommitInterval: m.Config.CommitInterval, StreamIdle: m.Config.StreamIdle, StreamRelease: m.Config.StreamRelease, SnapshotEvery: m.Config.SnapshotEvery,
	})
	if err != nil {
		return err
	}
	log.Info("actors started", "duration", time.Since(t))

	hc := m.Config.HTTP
	hc.Version, hc.Logger = version, log
	m.server, err = tfhttp.New(hc, tfhttp.Actors{
		Root: m.engine.Root, Users: m.engine.Users, Detectors: m.engine.Detectors,
		Datasets: m.engine.Datasets, Ensembles: m.engine.Ensembles, Experiments: m.engine.Experiments,
		Streams: m.engine.Streams, TDA: m.engine.TDA,
		Events: m.engine.System.EventStream,
	}, issuer)
	if err != nil {
		return err
	}
	if m.ln, err = net.Listen("tcp", m.Config.Addr); err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	if m.Config.PprofAddr != "" {
		go func() {
			// Off by default; meant for a loopback address during load tests.
			if err := http.ListenAndServe(m.Config.PprofAddr, nil); err != nil {
				log.Error("pprof", "err", err)
			}
		}()
	}
	m.served = make(chan error, 1)
	srv, ln := m.server, m.ln
	go func() { m.served <- srv.Serve(ln) }()
	log.Info("serving", "addr", m.ln.Addr().String(), "version", version)
	return nil
}

// Addr is the address the server listens on, once Run returned.
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Done is closed with the serve error when the server stops by itself.
func (m *Main) Done() <-chan error { return m.served }

// Close stops HTTP (finishing open requests), then the actors (each flushing its state), then
// the store. It is safe to call after a failed Run.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		t := time.Now()
		errs = append(errs, m.server.Close())
		m.Logger.Info("http stopped", "duration", time.Since(t))
		m.server = nil
	}
	if m.engine != nil {
		t := time.Now()
		errs = append(errs, m.engine.Stop())
		m.Logger.Info("actors stopped", "duration", time.Since(t))
		m.engine = nil
	}
	if m.store != nil {
		t := time.Now()
		errs = append(errs, m.store.Close())
		m.Logger.Info("store closed", "duration", time.Since(t))
		m.store = nil
	}
	return errors.Join(errs...)
}
