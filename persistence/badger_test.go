package persistence_test

import (
	"bytes"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/topoforge/topoforge/persistence"
)

// MustOpen opens a small Badger in a temp dir (or dir when given) and closes it at test end.
func MustOpen(tb testing.TB, dir string) *persistence.Badger {
	tb.Helper()
	if dir == "" {
		dir = tb.TempDir()
	}
	s, err := persistence.Open(persistence.SmallOptions(dir))
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func TestWriteCloseReopen(t *testing.T) {
	dir := t.TempDir()
	s := MustOpen(t, dir)
	keys := [][]byte{[]byte("user/a"), []byte("user/b"), []byte("apikey/x")}
	vals := [][]byte{[]byte("1"), []byte("2"), []byte("3")}
	if err := s.Write(keys, vals); err != nil {
		t.Fatal(err)
	}
	if err := s.Write([][]byte{[]byte("user/b")}, [][]byte{nil}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(keys[0]); err != persistence.ErrClosed {
		t.Fatalf("Get after Close = %v, want ErrClosed", err)
	}

	s = MustOpen(t, dir)
	for i, want := range []string{"1", "", "3"} {
		v, found, err := s.Get(keys[i])
		if err != nil {
			t.Fatal(err)
		}
		if found != (want != "") || string(v) != want {
			t.Errorf("Get(%s) = %q, %v; want %q", keys[i], v, found, want)
		}
	}
}

func TestScanOrderPrefixAndFrom(t *testing.T) {
	s := MustOpen(t, "")
	var keys, vals [][]byte
	for i := range 20 {
		keys = append(keys, fmt.Appendf(nil, "r/%03d", i))
		vals = append(vals, []byte(strconv.Itoa(i)))
	}
	keys = append(keys, []byte("q/x"), []byte("s/x"))
	vals = append(vals, []byte("q"), []byte("s"))
	if err := s.Write(keys, vals); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := s.Scan([]byte("r/"), []byte("r/015"), func(k, v []byte) bool {
		got = append(got, string(v))
		return len(got) < 3
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[15 16 17]" {
		t.Errorf("Scan from r/015 = %v, want [15 16 17]", got)
	}
	n := 0
	if err := s.Scan([]byte("r/"), nil, func(k, _ []byte) bool {
		if !bytes.HasPrefix(k, []byte("r/")) {
			t.Errorf("Scan returned %q outside prefix", k)
		}
		n++
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if n != 20 {
		t.Errorf("Scan count = %d, want 20", n)
	}
}

func TestDeletePrefix(t *testing.T) {
	s := MustOpen(t, "")
	var keys, vals [][]byte
	for i := range 25000 {
		keys = append(keys, fmt.Appendf(nil, "d/1/%06d", i))
		vals = append(vals, []byte("v"))
		if len(keys) == 5000 {
			if err := s.Write(keys, vals); err != nil {
				t.Fatal(err)
			}
			keys, vals = nil, nil
		}
	}
	if err := s.Write([][]byte{[]byte("d/2/keep")}, [][]byte{[]byte("k")}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePrefix([]byte("d/1/")); err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = s.Scan([]byte("d/"), nil, func(k, _ []byte) bool { n++; return true })
	if n != 1 {
		t.Errorf("after DeletePrefix %d keys remain under d/, want 1", n)
	}
}

func TestConcurrentWrites(t *testing.T) {
	s := MustOpen(t, "")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := fmt.Appendf(nil, "c/%d/%d", g, i)
				if err := s.Write([][]byte{k}, [][]byte{k}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	_ = s.Scan([]byte("c/"), nil, func(k, v []byte) bool {
		if !bytes.Equal(k, v) {
			t.Errorf("value of %q = %q", k, v)
		}
		n++
		return true
	})
	if n != 400 {
		t.Errorf("stored %d keys, want 400", n)
	}
}

func TestRefusesNewerFormat(t *testing.T) {
	dir := t.TempDir()
	s := MustOpen(t, dir)
	if err := s.Write([][]byte{[]byte("meta/format_version")}, [][]byte{[]byte("99")}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if s2, err := persistence.Open(persistence.SmallOptions(dir)); err == nil {
		_ = s2.Close()
		t.Fatal("Open of a format-99 directory succeeded, want an error")
	}
}

// TestUpgradesOlderFormat opens a version-1 directory: it opens, keeps its data, and records the
// current version so that older binaries refuse it from then on.
func TestUpgradesOlderFormat(t *testing.T) {
	dir := t.TempDir()
	s := MustOpen(t, dir)
	if err := s.Write([][]byte{[]byte("meta/format_version"), []byte("k")}, [][]byte{[]byte("1"), []byte("v")}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	s2, err := persistence.Open(persistence.SmallOptions(dir))
	if err != nil {
		t.Fatalf("Open of a format-1 directory: %v", err)
	}
	defer s2.Close()
	v, found, err := s2.Get([]byte("meta/format_version"))
	if err != nil || !found || string(v) != strconv.Itoa(persistence.FormatVersion) {
		t.Errorf("format version after open = %q %v %v, want %d", v, found, err, persistence.FormatVersion)
	}
	if v, found, _ := s2.Get([]byte("k")); !found || string(v) != "v" {
		t.Errorf("data lost in the upgrade: %q %v", v, found)
	}
}
