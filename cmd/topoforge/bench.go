package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/topoforge/topoforge/bench/load"
)

// benchCmd runs the load scenarios against this binary started as a separate server process.
func benchCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg load.Config
	scen := fs.String("scenario", "all", "comma-separated: detect,batch,stream,idle (or all)")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "duration of the detect and stream scenarios")
	fs.IntVar(&cfg.Conns, "conns", 24, "keep-alive connections for detect")
	fs.StringVar(&cfg.Client, "client", "lean", "detect load generator: lean (built in: a minimal keep-alive HTTP/1.1 client on one P that times every exchange), go (built in, fasthttp's client) or wrk (needs wrk on PATH: apt-get install wrk; its latencies fail Little's law on this project's VM)")
	fs.IntVar(&cfg.ServerProcs, "server-procs", 0, "the server's GOMAXPROCS (0: the Go default, every CPU); with the load client on the same two cores, 1 leaves it a core")
	fs.IntVar(&cfg.Sessions, "sessions", 64, "WebSocket sessions for stream")
	fs.IntVar(&cfg.Idle, "idle", 10000, "idle sessions for idle")
	fs.DurationVar(&cfg.IdleSettle, "idle-settle", 5*time.Second, "how long the idle sessions stay idle before the server's memory is read")
	fs.StringVar(&cfg.OddsDir, "odds", "../shared/data/odds", "directory holding shuttle.csv")
	server := fs.String("server-binary", "", "topoforge binary to start as the server (default: this one), e.g. to compare two builds")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if c := cfg.Client; c != "lean" && c != "go" && c != "wrk" {
		fmt.Fprintf(stderr, "topoforge bench: -client %q: want lean, go or wrk\n", c)
		return 2
	}
	bin, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "topoforge bench:", err)
		return 1
	}
	if *server != "" {
		bin = *server
	}
	cfg.Binary, cfg.Scenarios = bin, load.ParseScenarios(*scen)
	if err := load.Run(cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "topoforge bench:", err)
		return 1
	}
	return 0
}
