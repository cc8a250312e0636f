package detectcli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// MustWrite writes content to a file in a temporary directory.
func MustWrite(tb testing.TB, name, content string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Run(args, &o, &e)
	return code, o.String(), e.String()
}

func sampleCSV() string {
	var b strings.Builder
	b.WriteString("amount,merchant,label\n")
	for i := 0; i < 60; i++ {
		b.WriteString(strings.Join([]string{strconv.Itoa(10 + i%7), []string{"grocery", "fuel"}[i%2], "0"}, ","))
		b.WriteString("\n")
	}
	b.WriteString("900,jewelry,1\n")
	return b.String()
}

func TestRunOK(t *testing.T) {
	p := MustWrite(t, "tx.csv", sampleCSV())
	code, out, errOut := run("-algorithm", "isolationforest", "-param", "n_estimators=50", "-param", "random_state=7", "-eval", p)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "score,anomaly_score,is_anomaly" || len(lines) != 62 {
		t.Fatalf("output header %q, %d lines", lines[0], len(lines))
	}
	if !strings.HasSuffix(lines[61], ",1,true") {
		t.Errorf("last row = %q, want the outlier flagged with anomaly_score 1", lines[61])
	}
	var m map[string]float64
	if err := json.Unmarshal([]byte(strings.TrimSpace(errOut)), &m); err != nil || m["roc_auc"] != 1 {
		t.Errorf("stderr = %q, want {\"roc_auc\":1,...}", errOut)
	}
	// Deterministic for a fixed random_state.
	_, again, _ := run("-algorithm", "IsolationForest", "-param", "n_estimators=50", "-param", "random_state=7", p)
	if again != out {
		t.Error("two runs with the same random_state differ")
	}
}

func TestRunErrors(t *testing.T) {
	f := func(name string, wantCode int, wantErr string, args ...string) {
		t.Helper()
		code, _, errOut := run(args...)
		if code != wantCode || !strings.Contains(errOut, wantErr) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d containing %q", name, code, errOut, wantCode, wantErr)
		}
	}
	good := MustWrite(t, "ok.csv", sampleCSV())
	f("no file", ExitUsage, "usage:")
	f("unknown algorithm", ExitUsage, `unknown algorithm "Nope"`, "-algorithm", "Nope", good)
	f("bad param", ExitUsage, "Value must be between 0 and 0.5", "-param", "contamination=0.9", good)
	f("bad param syntax", ExitUsage, "want key=value", "-param", "contamination", good)
	f("missing", ExitError, "no such file", filepath.Join(t.TempDir(), "none.csv"))
	f("ragged", ExitError, "line 3: 1 fields, want 2", MustWrite(t, "r.csv", "a,b\n1,2\n3\n"))
	f("nan", ExitError, `line 2, column "a": "NaN" is not a finite number`, MustWrite(t, "n.csv", "a,b\nNaN,2\n"))
	f("empty", ExitError, "no header row", MustWrite(t, "e.csv", ""))
	f("header only", ExitError, "no data rows", MustWrite(t, "h.csv", "a,b\n"))
	f("eval without labels", ExitError, `no column "label"`, "-eval", MustWrite(t, "nl.csv", "a\n1\n2\n"))
	f("bad label", ExitError, `label "maybe"`, "-eval", MustWrite(t, "bl.csv", "a,label\n1,maybe\n"))
}

func TestRunLabelNotAFeature(t *testing.T) {
	// With the label column dropped the two files are the same features.
	a := MustWrite(t, "a.csv", "x,label\n1,0\n2,1\n3,0\n50,1\n")
	b := MustWrite(t, "b.csv", "x\n1\n2\n3\n50\n")
	_, outA, _ := run("-algorithm", "ZScore", a)
	_, outB, _ := run("-algorithm", "ZScore", b)
	if outA != outB {
		t.Errorf("label column changed the scores:\n%s\nvs\n%s", outA, outB)
	}
}
