package actors

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"

	"github.com/topoforge/topoforge/messages"
	"github.com/topoforge/topoforge/stream"
	"github.com/topoforge/topoforge/tdajson"
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
	// DetectorIdle passivates a detector actor after this long without messages; it comes back
	// from its snapshot on the next request. Default 10 minutes; < 0 never passivates.
	DetectorIdle time.Duration
	// ResultLinger is how long the result writer waits for more results before a group commit.
	// Default 0: it commits what queued up while the previous commit was syncing, which
	// batches by itself under load and adds no latency when idle.
	ResultLinger time.Duration
	// ResultCommitInterval is the least time between the starts of two group commits of
	// detection results: under load a commit then carries this long's results for one fsync;
	// an idle server commits at once. 0 or < 0: none, each batch is enqueued as soon as the
	// previous one is (the right choice when a commit costs no sync: an interval then only adds
	// its wait to every request's latency). A store that syncs every commit wants ~1 ms.
	ResultCommitInterval time.Duration
	// StreamDefaults is the configuration of a new stream. Default stream.DefaultConfig().
	StreamDefaults stream.Config
	// StreamIdle stops a stream actor with no client after this long (its snapshot stays);
	// an attached idle stream releases its window buffers instead. Default 5 minutes.
	StreamIdle time.Duration
	// StreamRelease frees an idle stream's window buffers after this long without events; the
	// next event rebuilds them from the samples kept. Default 30 s.
	StreamRelease time.Duration
	// SnapshotEvery is how many events a stream processes between snapshots. Default 1000.
	SnapshotEvery int
	// TDALimits bounds POST /api/v1/tda/persistence documents (points, windows, bytes).
	// Zero fields take tdajson's defaults.
	TDALimits tdajson.Config
	// InternalAskTimeout bounds an actor's request to another actor. Default 10 s.
	InternalAskTimeout time.Duration
	// Now returns the current time. Default time.Now; tests set it.
	Now func() time.Time

	// disp runs the engine's long-lived actors' mailboxes (set by Start).
	disp *poolDispatcher
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
	if c.DetectorIdle == 0 {
		c.DetectorIdle = 10 * time.Minute
	}
	if c.StreamDefaults.WindowSize == 0 {
		c.StreamDefaults = stream.DefaultConfig()
	}
	if err := c.StreamDefaults.Validate(); err != nil {
		return fmt.Errorf("actors config: stream defaults: %w", err)
	}
	if c.StreamIdle <= 0 {
		c.StreamIdle = 5 * time.Minute
	}
	if c.StreamRelease <= 0 {
		c.StreamRelease = 30 * time.Second
	}
	if c.SnapshotEvery <= 0 {
		c.SnapshotEvery = 1000
	}
	if c.InternalAskTimeout <= 0 {
		c.InternalAskTimeout = 10 * time.Second
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
	// Detectors is the detectors manager.
	Detectors *actor.PID
	// Datasets is the datasets manager.
	Datasets *actor.PID
	// Ensembles is the ensembles manager.
	Ensembles *actor.PID
	// Experiments is the experiments manager.
	Experiments *actor.PID
	// Streams is the streams manager.
	Streams *actor.PID
	// TDA is the pool of topology workers.
	TDA *actor.PID

	root        *actor.PID
	log         *slog.Logger
	writer      *resultWriter
	deadLetters *eventstream.Subscription
	disp        *poolDispatcher
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
	cfg.disp = newPoolDispatcher(300, 1024) // protoactor's default throughput
	e.disp = cfg.disp
	e.writer = newResultWriter(cfg.Store, logger, cfg.ResultLinger, cfg.ResultCommitInterval)
	publish := sys.EventStream.Publish
	props := actor.PropsFromProducer(func() actor.Actor { return &rootActor{cfg: cfg, writer: e.writer, publish: publish} },
		actor.WithSupervisor(rootStrategy(cfg, publish)))
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
	e.Users, e.Detectors, e.Datasets, e.Ensembles, e.Experiments = r.users, r.detectors, r.datasets, r.ensembles, r.experiments
	e.Streams, e.TDA = r.streams, r.tda
	e.deadLetters = sys.EventStream.Subscribe(e.redeliver)
	// A round trip to each manager proves it has loaded its state.
	for _, m := range []*actor.PID{e.Users, e.Detectors, e.Datasets, e.Ensembles, e.Experiments, e.Streams, e.TDA} {
		if _, err := sys.Root.RequestFuture(m, &statsProbe{}, 30*time.Second).Result(); err != nil {
			sys.Shutdown()
			return nil, fmt.Errorf("start %s: %w", m.Id, err)
		}
	}
	return e, nil
}

// Stop stops the root (children first, each flushing its state), commits queued results and
// shuts the system down.
func (e *Engine) Stop() error {
	e.System.EventStream.Unsubscribe(e.deadLetters)
	err := e.Root.StopFuture(e.root).Wait()
	e.writer.close()
	e.System.Shutdown()
	e.disp.close()
	if err != nil {
		return fmt.Errorf("stop root: %w", err)
	}
	return nil
}

// redeliver gives a DetectAsk that became a dead letter (its detector's actor stopped, e.g. to
// passivate, after the manager looked it up) back to the detectors manager, which starts the
// actor again; after MaxResends it answers 503. A request future would have got a
// DeadLetterResponse; a DetectAsk has no sender, so without this it would wait for its timeout.
func (e *Engine) redeliver(evt any) {
	dl, ok := evt.(*actor.DeadLetterEvent)
	if !ok {
		return
	}
	a, ok := dl.Message.(*messages.DetectAsk)
	if !ok {
		return
	}
	if a.Resend() {
		e.Root.Send(e.Detectors, a)
		return
	}
	a.Reply(&messages.DetectRowsReply{Error: remoteErr(messages.Errorf(messages.CodeUnavailable,
		"detector %s is restarting: retry the request", a.Req.DetectorId))})
}

// rootStrategy is the supervision strategy of the root and the managers: OneForOne (a crash
// restarts only the crashed actor, which reloads its snapshot in Started), at most MaxRestarts
// within RestartWindow, then stop. Every crash is logged and published as a system_alert.
func rootStrategy(cfg Config, publish func(any)) actor.SupervisorStrategy {
	return &alertingStrategy{
		inner: actor.NewOneForOneStrategy(cfg.MaxRestarts, cfg.RestartWindow, func(any) actor.Directive {
			return actor.RestartDirective
		}),
		log: cfg.Logger, publish: publish, now: cfg.Now,
	}
}

// alertingStrategy logs and publishes a failure, then lets the inner strategy decide.
type alertingStrategy struct {
	inner   actor.SupervisorStrategy
	log     *slog.Logger
	publish func(any)
	now     func() time.Time
}

// HandleFailure implements actor.SupervisorStrategy.
func (s *alertingStrategy) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
	rs *actor.RestartStatistics, reason any, message any) {
	s.log.Error("actor crashed; restarting from its snapshot", "actor", child.Id, "reason", fmt.Sprint(reason),
		"failures", rs.FailureCount()+1)
	if id, ok := strings.CutPrefix(child.Id, "root/detectors/"); ok {
		// The detectors manager knows the owner and publishes the alert to them.
		sys.Root.Send(actor.NewPID(sys.Address(), "root/detectors"), &detectorCrashed{id: id, reason: fmt.Sprint(reason)})
	} else {
		s.publish(&messages.LiveEvent{
			Type: messages.EventSystemAlert, Timestamp: s.now().UTC(),
			Data: map[string]any{"level": "error", "actor": child.Id, "message": "actor crashed and was restarted from its snapshot"},
		})
	}
	s.inner.HandleFailure(sys, sup, child, rs, reason, message)
}

type ready struct{}

type readyReply struct {
	users, detectors, datasets, ensembles, experiments, streams, tda *actor.PID
	err                                                              error
}

// rootActor supervises the managers.
type rootActor struct {
	cfg                                                              Config
	writer                                                           *resultWriter
	publish                                                          func(any)
	users, detectors, datasets, ensembles, experiments, streams, tda *actor.PID
	err                                                              error
}

// Receive implements actor.Actor.
func (r *rootActor) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		strategy := rootStrategy(r.cfg, r.publish)
		spawn := func(name string, p actor.Producer) *actor.PID {
			pid, err := ctx.SpawnNamed(actor.PropsFromProducer(p, actor.WithSupervisor(strategy), actor.WithDispatcher(r.cfg.disp)), name)
			r.err = errors.Join(r.err, err)
			return pid
		}
		r.users = spawn("users", func() actor.Actor { return newUsers(r.cfg) })
		r.detectors = spawn("detectors", func() actor.Actor { return newDetectors(r.cfg, r.writer, r.publish) })
		r.datasets = spawn("datasets", func() actor.Actor { return newDatasets(r.cfg) })
		det := r.detectors
		r.ensembles = spawn("ensembles", func() actor.Actor { return newEnsembles(r.cfg, det) })
		r.experiments = spawn("experiments", func() actor.Actor { return newExperiments(r.cfg) })
		r.streams = spawn("streams", func() actor.Actor { return newStreams(r.cfg) })
		r.tda = spawn("tda", func() actor.Actor { return newTDAPool(runtime.GOMAXPROCS(0), r.cfg.TDALimits) })
	case *ready:
		ctx.Respond(&readyReply{users: r.users, detectors: r.detectors, datasets: r.datasets,
			ensembles: r.ensembles, experiments: r.experiments, streams: r.streams, tda: r.tda, err: r.err})
	}
}

// statsProbe is answered by every manager once its state is loaded.
type statsProbe struct{}

// AskTimeout is how long an actor waits for another actor's answer.
func (c Config) AskTimeout() time.Duration { return c.InternalAskTimeout }
