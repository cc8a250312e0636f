package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestBenchRejectsUnknownClient checks that a mistyped -client fails at once with exit code 2,
// before any server starts.
func TestBenchRejectsUnknownClient(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := benchCmd([]string{"-client", "wrk2"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2 (stderr %q)", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), `-client "wrk2"`) || out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
}
