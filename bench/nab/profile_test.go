package nab

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadProfiles(t *testing.T) {
	dir := t.TempDir()
	MustWriteFile(t, dir, "p.json", `{
"b": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.5, "tnWeight": 1.0}},
"a": {"CostMatrix": {"tpWeight": 3, "fnWeight": 1, "fpWeight": 0.25, "tnWeight": 0}}
}`)
	got, err := LoadProfiles(filepath.Join(dir, "p.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Profile{
		{Name: "b", TPWeight: 1, FNWeight: 2, FPWeight: 0.5, TNWeight: 1},
		{Name: "a", TPWeight: 3, FNWeight: 1, FPWeight: 0.25, TNWeight: 0},
	}
	if !slices.Equal(got, want) {
		t.Errorf("LoadProfiles = %+v, want %+v (file order)", got, want)
	}
	for _, tc := range []struct {
		name, text, wantErr string
	}{
		{"ErrNotObject", `[]`, "not a JSON object"},
		{"ErrEmpty", `{}`, "no profile"},
		{"ErrMissingWeight", `{"x": {"CostMatrix": {"tpWeight": 1, "fnWeight": 1, "fpWeight": 1}}}`, "profile x: CostMatrix needs"},
		{"ErrNoCostMatrix", `{"x": {}}`, "profile x: CostMatrix needs"},
		{"ErrType", `{"x": {"CostMatrix": {"tpWeight": "1"}}}`, "profile x:"},
		{"ErrSyntax", `{"x": `, "load nab profiles"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			MustWriteFile(t, dir, "bad.json", tc.text)
			if _, err := LoadProfiles(filepath.Join(dir, "bad.json")); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("LoadProfiles error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	if _, err := LoadProfiles(filepath.Join(dir, "none.json")); err == nil {
		t.Errorf("LoadProfiles(none.json) = nil error")
	}
}

// TestDefaultProfiles checks DefaultProfiles against NAB's profiles file.
func TestDefaultProfiles(t *testing.T) {
	dir := MustDataDir(t)
	got, err := LoadProfiles(filepath.Join(dir, "config", "profiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := DefaultProfiles(); !slices.Equal(got, want) {
		t.Errorf("LoadProfiles(profiles.json) = %+v, want DefaultProfiles %+v", got, want)
	}
}
