package actors

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Config configures Start.
type Config struct {
	// Store persists every actor's state. Required.
	Store Store
	// Logger receives actor failures and restarts. Default: slog.Default().
	Logger *slog.Logger
	// MaxRestarts is how many times a crashed actor is restarted within RestartWindow before it
	// is stopped. Default 10.
	MaxRestarts int
	// RestartWindow is the window MaxRestarts counts in. Default 1 minute.
	RestartWindow time.Duration
	// LoginMaxFailures failed logins within LoginWindow lock a username. Default 5.
	LoginMaxFailures int
	// LoginWindow is the lockout window. Default 15 minutes.
	LoginWindow time.Duration
	// Now returns the current time. Default time.Now; tests set it.
	Now func() time.Time
}

func (c *Config) fill() error {
	if c.Store == nil {
		return errors.New("actors config: nil Store")
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxRestarts <= 0 {
		c.MaxRestarts = 10
	}
	if c.RestartWindow <= 0 {
		c.RestartWindow = time.Minute
	}
	if c.LoginMaxFailures <= 0 {
		c.LoginMaxFailures = 5
	}
	if c.LoginWindow <= 0 {
		c.LoginWindow = 15 * time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// Engine is the running actor system: the root supervisor and the managers' PIDs.
type Engine struct {
	// System is the protoactor actor system.
	System *actor.ActorSystem
	// Root is the context the HTTP layer sends requests from.
	Root *actor.RootContext
	// Users is the users actor.
	Users *actor.PID

	root *actor.PID
	log  *slog.Logger
}

// Start starts the actor system, the root supervisor and its children, and waits until they have
// loaded their state.
func Start(cfg Config) (*Engine, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return logger.With("component", "actor")
	}))
	e := &Engine{System: sys, Root: sys.Root, log: logger}
	props := actor.PropsFromProducer(func() actor.Actor { return &rootActor{cfg: cfg} },
		actor.WithSupervisor(rootStrategy(cfg)))
	pid, err := sys.Root.SpawnNamed(props, "root")
	if err != nil {
		sys.Shutdown()
		return nil, fmt.Errorf("spawn root: %w", err)
	}
	e.root = pid
	res, err := sys.Root.RequestFuture(pid, &ready{}, 30*time.Second).Result()
	if err != nil {
		sys.Shutdown()
		return nil, fmt.Errorf("start root: %w", err)
	}
	r := res.(*readyReply)
	if r.err != nil {
		sys.Shutdown()
		return nil, fmt.Errorf("start root: %w", r.err)
	}
	e.Users = r.users
	// A round trip to each manager proves it has loaded its state.
	for _, m := range []*actor.PID{e.Users} {
		if _, err := sys.Root.RequestFuture(m, &statsProbe{}, 30*time.Second).Result(); err != nil {
			sys.Shutdown()
			return nil, fmt.Errorf("start %s: %w", m.Id, err)
		}
	}
	return e, nil
}

// Stop stops the root (children first, each flushing its state) and shuts the system down.
func (e *Engine) Stop() error {
	err := e.Root.StopFuture(e.root).Wait()
	e.System.Shutdown()
	if err != nil {
		return fmt.Errorf("stop root: %w", err)
	}
	return nil
}

// rootStrategy is the supervision strategy of the root and the managers: OneForOne (a crash
// restarts only the crashed actor), at most MaxRestarts within RestartWindow, then stop.
func rootStrategy(cfg Config) actor.SupervisorStrategy {
	return actor.NewOneForOneStrategy(cfg.MaxRestarts, cfg.RestartWindow, func(reason any) actor.Directive {
		cfg.Logger.Error("actor crashed; restarting from its snapshot", "reason", fmt.Sprint(reason))
		return actor.RestartDirective
	})
}

type ready struct{}

type readyReply struct {
	users *actor.PID
	err   error
}

// rootActor supervises the managers.
type rootActor struct {
	cfg   Config
	users *actor.PID
	err   error
}

// Receive implements actor.Actor.
func (r *rootActor) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		props := actor.PropsFromProducer(func() actor.Actor { return newUsers(r.cfg) },
			actor.WithSupervisor(rootStrategy(r.cfg)))
		r.users, r.err = ctx.SpawnNamed(props, "users")
	case *ready:
		ctx.Respond(&readyReply{users: r.users, err: r.err})
	}
}

// statsProbe is answered by every manager once its state is loaded.
type statsProbe struct{}
