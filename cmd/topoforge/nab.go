package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/topoforge/topoforge/actors"
	"github.com/topoforge/topoforge/bench/nab"
	"github.com/topoforge/topoforge/messages"
	"github.com/topoforge/topoforge/persistence"
)

// nabDetector is the detector name in NAB's results layout.
const nabDetector = "topoforge"

// nabCmd replays every NAB series through the stream actors (the code behind /ws/stream) with
// the one default configuration, writes NAB's results files and prints the three profiles'
// normalised scores as JSON.
func nabCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "../shared/data/nab", "NAB root (data/, labels/, config/)")
	out := fs.String("out", "results", "results directory (writes OUT/topoforge/<category>/topoforge_<file>.csv)")
	workers := fs.Int("workers", 2, "series replayed in parallel")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	start := time.Now()
	corpus, err := nab.LoadCorpus(*data)
	if err != nil {
		fmt.Fprintln(stderr, "topoforge nab:", err)
		return 2
	}
	tmp, err := os.MkdirTemp("", "topoforge-nab-")
	if err != nil {
		fmt.Fprintln(stderr, "topoforge nab:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	store, err := persistence.Open(persistence.SmallOptions(filepath.Join(tmp, "badger")))
	if err != nil {
		fmt.Fprintln(stderr, "topoforge nab:", err)
		return 1
	}
	defer store.Close()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := actors.Start(actors.Config{Store: store, Logger: log})
	if err != nil {
		fmt.Fprintln(stderr, "topoforge nab:", err)
		return 1
	}
	defer eng.Stop()
	scores, err := replayCorpus(eng, corpus, *out, max(1, *workers))
	if err != nil {
		fmt.Fprintln(stderr, "topoforge nab:", err)
		return 1
	}
	sc := nab.NewScorer(corpus)
	report := map[string]any{"detector": nabDetector, "rows": corpus.NumRows(), "files": len(corpus.Series)}
	for _, p := range nab.DefaultProfiles() {
		r, err := sc.Score(scores, p)
		if err != nil {
			fmt.Fprintln(stderr, "topoforge nab:", err)
			return 1
		}
		report[p.Name] = map[string]any{"score": r.Normalized, "threshold": r.Threshold,
			"windows_hit": r.WindowsHit, "windows_missed": r.WindowsMissed, "fp": r.FP}
	}
	report["seconds"] = time.Since(start).Seconds()
	b, _ := json.MarshalIndent(report, "", "  ")
	fmt.Fprintln(stdout, string(b))
	return 0
}

// replayCorpus replays each series as its own stream and writes its results file.
func replayCorpus(eng *actors.Engine, corpus *nab.Corpus, out string, workers int) (map[string][]float64, error) {
	scores := make(map[string][]float64, len(corpus.Series))
	var mu sync.Mutex
	var firstErr error
	jobs := make(chan *nab.Series)
	var wg sync.WaitGroup
	p := messages.Principal{UserID: "nab", Role: messages.RoleAdmin}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				sc, err := replaySeries(eng, p, s)
				if err == nil {
					err = nab.WriteResults(out, nabDetector, s, sc)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", s.Name, err)
				}
				scores[s.Name] = sc
				mu.Unlock()
			}
		}()
	}
	for _, s := range corpus.Series {
		jobs <- s
	}
	close(jobs)
	wg.Wait()
	return scores, firstErr
}

// replaySeries sends one series as raw events {"timestamp","value"} and maps each answer to an
// anomaly score: total/100 for an analysis, 0 while buffering.
func replaySeries(eng *actors.Engine, p messages.Principal, s *nab.Series) ([]float64, error) {
	frames := make([][]byte, s.Len())
	for i := range frames {
		b := append([]byte(`{"timestamp":"`), s.Timestamps[i].Format("2006-01-02 15:04:05")...)
		b = append(b, `","value":`...)
		b = strconv.AppendFloat(b, s.Values[i], 'g', -1, 64)
		frames[i] = append(b, '}')
	}
	outs, err := eng.ReplayStream(p, "nab-"+filepath.Base(s.Name), frames, 10*time.Minute)
	if err != nil {
		return nil, err
	}
	if len(outs) != len(frames) {
		return nil, fmt.Errorf("%d frames answered %d events", len(outs), len(frames))
	}
	scores := make([]float64, len(outs))
	for i, f := range outs {
		var m struct {
			Type string `json:"type"`
			Data struct {
				Scores struct {
					Total float64 `json:"total"`
				} `json:"scores"`
			} `json:"data"`
			Error any `json:"error"`
		}
		if err := json.Unmarshal(f, &m); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		switch m.Type {
		case "analysis":
			scores[i] = min(1, max(0, m.Data.Scores.Total/100))
		case "error":
			return nil, fmt.Errorf("row %d: %s", i, f)
		}
	}
	return scores, nil
}
