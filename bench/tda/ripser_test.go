package benchtda

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/topoforge/topoforge/tda"
)

// ripserRuns is how many times the ripser command is run per cloud; the fastest run is
// reported, as the Go benchmark reports a mean over many runs of a warm process.
const ripserRuns = 3

// uniformCloud returns n points uniform in the unit cube of dimension dim, row-major, from
// a seed fixed by n and dim so that every run benchmarks the same clouds.
func uniformCloud(n, dim int) []float64 {
	rng := rand.New(rand.NewPCG(uint64(n), uint64(dim)))
	pts := make([]float64, n*dim)
	for i := range pts {
		pts[i] = rng.Float64()
	}
	return pts
}

// ripserPath returns the path of the Debian ripser command, or "".
func ripserPath() string {
	p, err := exec.LookPath("ripser")
	if err != nil {
		return ""
	}
	return p
}

// MustWriteCloud writes pts as a ripser point-cloud file (one point per line) in a temp
// directory and returns its path.
func MustWriteCloud(tb testing.TB, pts []float64, dim int) string {
	tb.Helper()
	var b bytes.Buffer
	for i := 0; i < len(pts); i += dim {
		for k := range dim {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.FormatFloat(pts[i+k], 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	path := filepath.Join(tb.TempDir(), "cloud.txt")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// runRipser runs `ripser --format point-cloud --dim maxDim file` and returns its output,
// wall time and CPU time (user + system), process start and file parsing included.
func runRipser(tb testing.TB, ripser, file string, maxDim int) (out []byte, wall, cpu time.Duration) {
	tb.Helper()
	cmd := exec.Command(ripser, "--format", "point-cloud", "--dim", strconv.Itoa(maxDim), file)
	start := time.Now()
	out, err := cmd.Output()
	wall = time.Since(start)
	if err != nil {
		tb.Fatalf("ripser %s: %v", file, err)
	}
	return out, wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// ripserTime is the fastest of ripserRuns runs of ripser on one cloud.
type ripserTime struct{ wall, cpu time.Duration }

// ripserTimes caches the ripser times per benchmark, since the benchmark function runs
// several times with growing b.N.
var ripserTimes sync.Map // benchmark name -> ripserTime

// ReportRipserRatio times the ripser command on the same cloud (fastest of ripserRuns)
// and reports ripser-ns/op and x-ripser = ours/ripser on wall time and, where thread CPU
// time is available, ripser-cpu-ns/op and x-ripser-cpu on CPU time, which the other jobs
// of a shared machine disturb less (ripser's comes from its rusage, counted in scheduler
// ticks of a few ms). It only logs when ripser is not installed.
func ReportRipserRatio(b *testing.B, pts []float64, dim, maxDim int, ours, oursCPU time.Duration) {
	b.Helper()
	ripser := ripserPath()
	if ripser == "" {
		b.Log("ripser not on PATH (apt-get install -y ripser): no comparison")
		return
	}
	var best ripserTime
	if v, ok := ripserTimes.Load(b.Name()); ok {
		best = v.(ripserTime)
	} else {
		file := MustWriteCloud(b, pts, dim)
		for range ripserRuns {
			_, wall, cpu := runRipser(b, ripser, file, maxDim)
			if best.wall == 0 || wall < best.wall {
				best.wall = wall
			}
			if best.cpu == 0 || cpu < best.cpu {
				best.cpu = cpu
			}
		}
		ripserTimes.Store(b.Name(), best)
	}
	b.ReportMetric(float64(best.wall.Nanoseconds()), "ripser-ns/op")
	b.ReportMetric(float64(ours)/float64(best.wall), "x-ripser")
	if oursCPU > 0 && best.cpu > 0 {
		b.ReportMetric(float64(best.cpu.Nanoseconds()), "ripser-cpu-ns/op")
		b.ReportMetric(float64(oursCPU)/float64(best.cpu), "x-ripser-cpu")
	}
}

// parseRipser reads ripser's intervals into a diagram sorted like ours.
func parseRipser(t *testing.T, out []byte, maxDim int) tda.Diagram {
	t.Helper()
	d := make(tda.Diagram, maxDim+1)
	dim := -1
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "persistence intervals in dim "); ok {
			k, err := strconv.Atoi(strings.TrimSuffix(rest, ":"))
			if err != nil {
				t.Fatalf("ripser output %q: %v", line, err)
			}
			dim = k
			continue
		}
		if dim < 0 || !strings.HasPrefix(line, "[") {
			continue
		}
		var bar tda.Bar
		parts := strings.SplitN(strings.Trim(line, "[)"), ",", 2)
		var err error
		if bar.Birth, err = strconv.ParseFloat(strings.TrimSpace(parts[0]), 64); err != nil {
			t.Fatalf("ripser output %q: %v", line, err)
		}
		if s := strings.TrimSpace(parts[1]); s == "" {
			bar.Death = math.Inf(1)
		} else if bar.Death, err = strconv.ParseFloat(s, 64); err != nil {
			t.Fatalf("ripser output %q: %v", line, err)
		}
		d[dim] = append(d[dim], bar)
	}
	for k := range d {
		slices.SortFunc(d[k], func(a, b tda.Bar) int {
			if a.Birth != b.Birth {
				return cmpFloat(a.Birth, b.Birth)
			}
			return cmpFloat(a.Death, b.Death)
		})
	}
	return d
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ripserTol is the relative tolerance against ripser: it computes in float32 and prints
// six significant digits.
const ripserTol = 2e-5

// TestAgainstRipser checks bar counts and endpoints against the ripser command on a few
// uniform clouds. It is skipped when ripser is not installed.
func TestAgainstRipser(t *testing.T) {
	ripser := ripserPath()
	if ripser == "" {
		t.Skip("ripser not on PATH (apt-get install -y ripser)")
	}
	var w tda.Workspace
	for i, c := range []struct{ n, dim, maxDim int }{{60, 3, 1}, {150, 3, 1}, {90, 2, 1}, {40, 3, 2}} {
		pts := uniformCloud(c.n, c.dim)
		got, err := w.Persistence(pts, c.dim, tda.Options{MaxDim: c.maxDim})
		if err != nil {
			t.Fatal(err)
		}
		out, _, _ := runRipser(t, ripser, MustWriteCloud(t, pts, c.dim), c.maxDim)
		want := parseRipser(t, out, c.maxDim)
		for k := range want {
			if len(got[k]) != len(want[k]) {
				t.Errorf("%d: H%d: %d bars, ripser %d", i, k, len(got[k]), len(want[k]))
				continue
			}
			// Ripser's float32 rounding may reorder bars whose births are within 1e-7,
			// so compare the sorted endpoint lists.
			compareSorted(t, fmt.Sprintf("%d: H%d births", i, k), endpoints(got[k], false), endpoints(want[k], false))
			compareSorted(t, fmt.Sprintf("%d: H%d deaths", i, k), endpoints(got[k], true), endpoints(want[k], true))
		}
	}
}

func endpoints(bars []tda.Bar, death bool) []float64 {
	out := make([]float64, len(bars))
	for i, b := range bars {
		out[i] = b.Birth
		if death {
			out[i] = b.Death
		}
	}
	slices.Sort(out)
	return out
}

func compareSorted(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range got {
		g, w := got[i], want[i]
		if math.IsInf(g, 1) || math.IsInf(w, 1) {
			if g != w {
				t.Errorf("%s[%d] = %v, ripser %v", what, i, g, w)
			}
			continue
		}
		if math.Abs(g-w) > ripserTol*max(math.Abs(w), 1e-3) {
			t.Errorf("%s[%d] = %v, ripser %v", what, i, g, w)
		}
	}
}
