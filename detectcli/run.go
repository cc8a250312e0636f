// Package detectcli implements the `topoforge detect` command: fit an
// anomaly-detection algorithm of package detect on a CSV file and write one
// score per row.
//
//	topoforge detect -algorithm NAME [-param key=value ...] [-label-column label] [-eval] [-explain] FILE.csv
//
// The detector is fitted unsupervised on every row (the label column, if
// any, is not a feature) and the rows are scored as a fit-predict: for LOF
// and KNN a row is left out of its own neighbourhood. The output is CSV
// with a header, `score,anomaly_score,is_anomaly` (plus `explanation` with
// -explain), one line per input row in input order. With -eval the
// ROC-AUC and average precision against the label column are printed to
// stderr as `{"roc_auc":..,"pr_auc":..}`. Output is deterministic for a
// fixed random_state. Errors go to stderr with a non-zero exit code: 2 for
// bad usage or parameters, 1 for bad files.
package detectcli

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/topoforge/topoforge/detect"
)

// Exit codes of Run.
const (
	ExitOK    = 0
	ExitError = 1 // unreadable or invalid input file, fit failure
	ExitUsage = 2 // bad flags, unknown algorithm or invalid parameter
)

// paramList collects repeated -param key=value flags.
type paramList map[string]any

// String implements flag.Value.
func (p paramList) String() string { return fmt.Sprint(map[string]any(p)) }

// Set implements flag.Value: it adds one key=value pair.
func (p paramList) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	p[k] = strings.TrimSpace(v)
	return nil
}

// Run runs the detect command with args (without the command name) and
// returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("topoforge detect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	algorithm := fs.String("algorithm", "IsolationForest", "algorithm name (see the catalogue)")
	params := paramList{}
	fs.Var(params, "param", "algorithm parameter key=value (repeatable)")
	labelCol := fs.String("label-column", "label", "column holding 0/1 labels; not a feature (ignored when absent unless -eval)")
	eval := fs.Bool("eval", false, "print ROC-AUC and PR-AUC against the label column to stderr")
	explain := fs.Bool("explain", false, "add an explanation column")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: topoforge detect -algorithm NAME [-param key=value ...] [-label-column label] [-eval] [-explain] FILE.csv")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return ExitUsage
	}
	d, err := detect.New(*algorithm, params)
	if err != nil {
		fmt.Fprintf(stderr, "topoforge detect: %v\n", err)
		return ExitUsage
	}
	path := fs.Arg(0)
	t, err := readFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "topoforge detect: read %s: %v\n", path, err)
		return ExitError
	}
	feats, labels, err := splitLabels(t, *labelCol, *eval)
	if err != nil {
		fmt.Fprintf(stderr, "topoforge detect: %s: %v\n", path, err)
		return ExitError
	}
	res, err := d.FitScore(feats)
	if err != nil {
		fmt.Fprintf(stderr, "topoforge detect: %s: %v\n", path, err)
		return ExitError
	}
	if err := writeResults(stdout, res, *explain); err != nil {
		fmt.Fprintf(stderr, "topoforge detect: write results: %v\n", err)
		return ExitError
	}
	if *eval {
		scores := make([]float64, len(res))
		for i, r := range res {
			scores[i] = r.Score
		}
		b, _ := json.Marshal(struct {
			ROC *float64 `json:"roc_auc"`
			PR  *float64 `json:"pr_auc"`
		}{finite(detect.ROCAUC(scores, labels)), finite(detect.PRAUC(scores, labels))})
		fmt.Fprintf(stderr, "%s\n", b)
	}
	return ExitOK
}

// finite returns &v, or nil (JSON null) when v is NaN (one class only).
func finite(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func readFile(path string) (detect.Table, error) {
	if path == "-" {
		return ReadCSV(os.Stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return detect.Table{}, err
	}
	defer f.Close()
	return ReadCSV(f)
}

// splitLabels removes the label column from t and parses it. A missing
// label column is an error only when labels are needed.
func splitLabels(t detect.Table, col string, need bool) (detect.Table, []bool, error) {
	li := -1
	for j, c := range t.Columns {
		if c == col && col != "" {
			li = j
		}
	}
	if li < 0 {
		if need {
			return t, nil, fmt.Errorf("-eval needs a label column; no column %q", col)
		}
		return t, nil, nil
	}
	out := detect.Table{Columns: append(append([]string(nil), t.Columns[:li]...), t.Columns[li+1:]...)}
	labels := make([]bool, len(t.Rows))
	for i, r := range t.Rows {
		l, err := parseLabel(r[li])
		if err != nil {
			return t, nil, fmt.Errorf("data row %d, column %q: %w", i+1, col, err)
		}
		labels[i] = l
		out.Rows = append(out.Rows, append(append(make([]any, 0, len(r)-1), r[:li]...), r[li+1:]...))
	}
	return out, labels, nil
}

// parseLabel reads a label: a non-zero number or true/yes/outlier/anomaly
// is an anomaly; zero or false/no/inlier/normal is not.
func parseLabel(v any) (bool, error) {
	switch x := v.(type) {
	case float64:
		return x != 0, nil
	case string:
		switch strings.ToLower(x) {
		case "true", "yes", "outlier", "anomaly":
			return true, nil
		case "false", "no", "inlier", "normal":
			return false, nil
		}
		return false, fmt.Errorf("label %q is not 0/1, true/false or outlier/inlier", x)
	}
	return false, errors.New("missing label")
}

func writeResults(w io.Writer, res []detect.Result, explain bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("score,anomaly_score,is_anomaly")
	if explain {
		bw.WriteString(",explanation")
	}
	bw.WriteByte('\n')
	var buf []byte
	for _, r := range res {
		buf = strconv.AppendFloat(buf[:0], r.Score, 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, r.AnomalyScore, 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendBool(buf, r.IsAnomaly)
		if explain {
			buf = append(buf, ',')
			buf = append(buf, csvQuote(r.Explanation)...)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func csvQuote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
