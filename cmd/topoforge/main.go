// Command topoforge is TopoForge's single binary: the server and its tools.
//
//	topoforge serve [flags]                          run the server (see `topoforge serve -h`)
//	topoforge tda < input.json > output.json        persistent homology of a point cloud or series
//	topoforge detect -algorithm NAME [...] FILE.csv  fit and score a CSV, optionally evaluate
//	topoforge nab -data DIR -out DIR                 replay the NAB corpus through the stream actors
//	topoforge bench [-scenario ...]                  load-test this binary as a server over loopback
//
// Every serve flag has an environment equivalent: TOPOFORGE_ + the flag name upper-cased, '-'
// as '_' (TOPOFORGE_ADDR, TOPOFORGE_DATA, TOPOFORGE_JWT_SECRET, ...).
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: topoforge <command> [flags]

commands:
  serve    run the server (REST on /api/v1, streaming on /ws/stream)
  tda      read a point cloud / series as JSON on stdin, write its persistence features to stdout
  detect   fit an algorithm on a CSV, write score,anomaly_score,is_anomaly per row (-eval: ROC/PR AUC)
  nab      replay the Numenta Anomaly Benchmark through the stream actors and score it
  bench    start this binary as a server and measure it over loopback (detect, batch, stream, idle)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a subcommand and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stderr)
	case "tda":
		return tdaCmd(args[1:], stdin, stdout, stderr)
	case "detect":
		return detectCmd(args[1:], stdout, stderr)
	case "nab":
		return nabCmd(args[1:], stdout, stderr)
	case "bench":
		return benchCmd(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "topoforge: unknown command %q\n%s", args[0], usage)
	return 2
}

func serve(args []string, stderr io.Writer) int {
	cfg, err := parseServeFlags(args, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "topoforge serve:", err)
		return 2
	}
	level, err := logLevel(cfg.LogLevel)
	if err != nil {
		fmt.Fprintln(stderr, "topoforge serve:", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	m := &Main{Config: cfg, Logger: logger}
	if err := m.Run(); err != nil {
		logger.Error("start", "err", err)
		return 1
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	code := 0
	select {
	case s := <-sig:
		logger.Info("shutting down", "signal", s.String())
	case err := <-m.Done():
		logger.Error("server stopped", "err", err)
		code = 1
	}
	if err := m.Close(); err != nil {
		logger.Error("shutdown", "err", err)
		code = 1
	}
	return code
}
