package persistence_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/topoforge/topoforge/persistence"
)

// rawKeys returns every key of the raw Badger database in dir, which must not be open.
func rawKeys(t *testing.T, dir string) []string {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithMemTableSize(8 << 20))
	if err != nil {
		t.Fatalf("open raw badger %s: %v", dir, err)
	}
	defer db.Close()
	var keys []string
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, string(it.Item().Key()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// TestLogKeysLiveInTheLogDatabase checks the routing: detection-log keys are stored in Dir/log,
// every other key in the main database, and both read back after a reopen.
func TestLogKeysLiveInTheLogDatabase(t *testing.T) {
	dir := t.TempDir()
	s := MustOpen(t, dir)
	keys := [][]byte{[]byte("result/d1/0001"), []byte("detector/d1"), []byte("dtotal/d1"), []byte("dstat/d1/2026112411")}
	vals := [][]byte{[]byte("r"), []byte("d"), []byte("t"), []byte("s")}
	if err := s.Write(keys, vals); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	mainKeys := strings.Join(rawKeys(t, dir), " ")
	logKeys := strings.Join(rawKeys(t, filepath.Join(dir, "log")), " ")
	if mainKeys != "detector/d1 meta/format_version" {
		t.Errorf("main database keys = %q, want detector/d1 meta/format_version", mainKeys)
	}
	if logKeys != "dstat/d1/2026112411 dtotal/d1 result/d1/0001" {
		t.Errorf("log database keys = %q, want the three detection-log keys", logKeys)
	}
	s = MustOpen(t, dir)
	for i, k := range keys {
		if v, found, err := s.Get(k); err != nil || !found || !bytes.Equal(v, vals[i]) {
			t.Errorf("Get(%s) after reopen = %q %v %v, want %q", k, v, found, err, vals[i])
		}
	}
}

// TestScanAndDeleteAcrossBothDatabases scans and deletes a prefix ("d") that covers keys of both
// databases: the scan merges them in key order.
func TestScanAndDeleteAcrossBothDatabases(t *testing.T) {
	s := MustOpen(t, "")
	keys := [][]byte{[]byte("dtotal/a"), []byte("detector/a"), []byte("dstat/a/1"), []byte("dataset/z"), []byte("dstat/b/1"), []byte("e/x")}
	if err := s.Write(keys, keys); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := s.Scan([]byte("d"), nil, func(k, v []byte) bool {
		if !bytes.Equal(k, v) {
			t.Errorf("value of %q = %q", k, v)
		}
		got = append(got, string(k))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	want := "dataset/z detector/a dstat/a/1 dstat/b/1 dtotal/a"
	if strings.Join(got, " ") != want {
		t.Errorf("Scan(d) = %v, want %s", got, want)
	}
	got = got[:0]
	if err := s.Scan([]byte("d"), []byte("dst"), func(k, _ []byte) bool {
		got = append(got, string(k))
		return len(got) < 2
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "dstat/a/1 dstat/b/1" {
		t.Errorf("Scan(d from dst, stop after 2) = %v", got)
	}
	if err := s.DeletePrefix([]byte("d")); err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = s.Scan(nil, nil, func(k, _ []byte) bool {
		if !bytes.HasPrefix(k, []byte("meta/")) && !bytes.Equal(k, []byte("e/x")) {
			t.Errorf("key %q survived DeletePrefix(d)", k)
		}
		n++
		return true
	})
	if n != 2 {
		t.Errorf("%d keys left, want e/x and the format version", n)
	}
}

// writeRawV2 writes a version-2 directory: everything, detection log included, in one Badger.
func writeRawV2(t *testing.T, dir string, keys []string) {
	t.Helper()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil).WithMemTableSize(8 << 20).WithSyncWrites(true))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(txn *badger.Txn) error {
		if err := txn.Set([]byte("meta/format_version"), []byte("2")); err != nil {
			return err
		}
		for _, k := range keys {
			if err := txn.Set([]byte(k), []byte("v:"+k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestUpgradeMovesTheDetectionLog opens a version-2 directory: its results and counters move to
// the log database, nothing is lost or duplicated, and the version becomes current. A second
// directory stands for an upgrade interrupted after the copy: the copy is repeated harmlessly.
func TestUpgradeMovesTheDetectionLog(t *testing.T) {
	keys := []string{"user/u", "detector/d", "model/d", "dtotal/d", "dstat/d/2026112400"}
	for i := range 3000 {
		keys = append(keys, fmt.Sprintf("result/d/%019d-%06d", i, i))
	}
	for _, interrupted := range []bool{false, true} {
		dir := t.TempDir()
		writeRawV2(t, dir, keys)
		if interrupted {
			writeRawV2(t, filepath.Join(dir, "log"), []string{"result/d/0000000000000000000-000000", "dtotal/d"})
		}
		s, err := persistence.Open(persistence.SmallOptions(dir))
		if err != nil {
			t.Fatalf("interrupted=%v: open version 2: %v", interrupted, err)
		}
		for _, k := range keys {
			if v, found, err := s.Get([]byte(k)); err != nil || !found || string(v) != "v:"+k {
				t.Fatalf("interrupted=%v: Get(%s) after upgrade = %q %v %v", interrupted, k, v, found, err)
			}
		}
		n := 0
		_ = s.Scan([]byte("result/d/"), nil, func(_, _ []byte) bool { n++; return true })
		if n != 3000 {
			t.Errorf("interrupted=%v: %d results after upgrade, want 3000", interrupted, n)
		}
		if v, _, _ := s.Get([]byte("meta/format_version")); string(v) != strconv.Itoa(persistence.FormatVersion) {
			t.Errorf("format version after upgrade = %q", v)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		for _, k := range rawKeys(t, dir) {
			if strings.HasPrefix(k, "result/") || strings.HasPrefix(k, "dtotal/") || strings.HasPrefix(k, "dstat/") {
				t.Fatalf("interrupted=%v: %s left in the main database", interrupted, k)
			}
		}
		got := 0
		for _, k := range rawKeys(t, filepath.Join(dir, "log")) {
			if !strings.HasPrefix(k, "meta/") { // the interrupted case's stand-in wrote one
				got++
			}
		}
		if got != 3002 {
			t.Errorf("interrupted=%v: log database holds %d keys, want 3002", interrupted, got)
		}
	}
}

func TestRefusesNegativeLogSyncInterval(t *testing.T) {
	o := persistence.SmallOptions(t.TempDir())
	o.LogSyncInterval = -time.Second
	if s, err := persistence.Open(o); err == nil {
		_ = s.Close()
		t.Fatal("Open with a negative LogSyncInterval succeeded")
	}
}

// TestLogWritesSurviveKill9 runs a child process that writes detection-log batches with
// WriteAsync under a sync interval of an hour (so nothing is ever synced), prints each
// acknowledged batch, and is killed with SIGKILL mid-stream: every batch it acknowledged must be
// there after a reopen, since acknowledged writes are in the operating system's page cache.
func TestLogWritesSurviveKill9(t *testing.T) {
	if dir := os.Getenv("TOPOFORGE_KILL9_CHILD"); dir != "" {
		kill9Child(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLogWritesSurviveKill9$")
	cmd.Env = append(os.Environ(), "TOPOFORGE_KILL9_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := -1
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "acked ")); err == nil && strings.HasPrefix(sc.Text(), "acked ") {
			acked = n
			if acked == 300 {
				break
			}
		}
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if acked < 300 {
		t.Fatalf("child acknowledged only %d batches before it ended", acked)
	}
	s := MustOpen(t, dir)
	for b := 0; b <= acked; b++ {
		for i := range 20 {
			k := fmt.Appendf(nil, "result/d/%06d-%02d", b, i)
			if v, found, err := s.Get(k); err != nil || !found || !bytes.Equal(v, kill9Value(k, i)) {
				t.Fatalf("acknowledged %s lost after kill -9: %d bytes %v %v", k, len(v), found, err)
			}
		}
	}
}

// kill9Value is the value kill9Child writes under key k: the key itself for even i (kept in the
// LSM tree), the key repeated to over 256 bytes for odd i (kept in the value log), so both places
// are checked.
func kill9Value(k []byte, i int) []byte {
	if i%2 == 0 {
		return k
	}
	return bytes.Repeat(k, 300/len(k)+1)
}

// kill9Child writes batches until it is killed.
func kill9Child(dir string) {
	o := persistence.SmallOptions(dir)
	o.LogSyncInterval = time.Hour
	s, err := persistence.Open(o)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	for b := 0; ; b++ {
		keys, vals := make([][]byte, 20), make([][]byte, 20)
		for i := range keys {
			keys[i] = fmt.Appendf(nil, "result/d/%06d-%02d", b, i)
			vals[i] = kill9Value(keys[i], i)
		}
		done := make(chan error, 1)
		s.WriteAsync(keys, vals, func(err error) { done <- err })
		if err := <-done; err != nil {
			fmt.Println("write:", err)
			os.Exit(1)
		}
		fmt.Printf("acked %d\n", b)
	}
}

// sstBytes sums the sizes of the table files in dir.
func sstBytes(t *testing.T, dir string) int64 {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}

// TestLogCompression writes the same compressible results into detection logs with each
// compression: the option reaches the log's tables (zstd and snappy tables are far smaller
// than uncompressed ones), a directory written with one compression reads back under another,
// and an unknown name is refused.
func TestLogCompression(t *testing.T) {
	const n = 4000
	keys, vals := make([][]byte, n), make([][]byte, n)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "result/d1/%019d-%06d", i, i)
		vals[i] = fmt.Appendf(nil, `{"is_anomaly":false,"anomaly_score":0.%06d,"confidence":0.5,"explanation":"nothing unusual: every feature is within the range of training rows","data_point":{"a":%d,"b":%d}}`, i, i, i)
	}
	sizes := map[string]int64{}
	for _, c := range []string{"none", "snappy", "zstd"} {
		o := persistence.SmallOptions(t.TempDir())
		o.LogCompression = c
		s, err := persistence.Open(o)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(keys, vals); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil { // flushes the memtable into a table
			t.Fatal(err)
		}
		sizes[c] = sstBytes(t, filepath.Join(o.Dir, "log"))
		o.LogCompression = map[string]string{"none": "zstd", "snappy": "none", "zstd": "snappy"}[c]
		s, err = persistence.Open(o)
		if err != nil {
			t.Fatalf("reopen %s directory with %s: %v", c, o.LogCompression, err)
		}
		for _, i := range []int{0, n / 2, n - 1} {
			if v, found, err := s.Get(keys[i]); err != nil || !found || !bytes.Equal(v, vals[i]) {
				t.Errorf("%s directory read with %s: Get(%s) = %q %v %v", c, o.LogCompression, keys[i], v, found, err)
			}
		}
		_ = s.Close()
	}
	t.Logf("log table bytes for %d results: %v", n, sizes)
	if sizes["none"] == 0 || sizes["snappy"]*2 > sizes["none"] || sizes["zstd"]*2 > sizes["none"] {
		t.Errorf("log table bytes %v: want snappy and zstd under half of none", sizes)
	}
	o := persistence.SmallOptions(t.TempDir())
	o.LogCompression = "lz4"
	if s, err := persistence.Open(o); err == nil {
		_ = s.Close()
		t.Fatal(`Open with LogCompression "lz4" succeeded`)
	}
}

// TestLogValuesLiveInTheValueLog writes result-segment-sized values (600 bytes) into the
// detection log: by default they go to Badger's value log and the tables hold pointers (far
// smaller than the values), with LogValueThreshold < 0 the tables hold the values; both read back
// after a reopen under the other setting (a directory from before the value-log default opened
// by a newer binary, and back), with value-log garbage collection running.
func TestLogValuesLiveInTheValueLog(t *testing.T) {
	const n = 3000
	keys, vals := make([][]byte, n), make([][]byte, n)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "result/d1/%019d-%06d", i, i)
		vals[i] = bytes.Repeat(fmt.Appendf(nil, "%05d", i), 120)
	}
	raw := int64(n * 600)
	sizes := map[int64]int64{}
	for _, th := range []int64{0, -1} {
		o := persistence.SmallOptions(t.TempDir())
		o.LogValueThreshold = th
		o.LogCompression = "none" // so table bytes show where the values are
		s, err := persistence.Open(o)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i += 1000 { // one transaction holds at most ~15 % of a memtable
			if err := s.Write(keys[i:i+1000], vals[i:i+1000]); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		sizes[th] = sstBytes(t, filepath.Join(o.Dir, "log"))
		o.GCInterval = time.Millisecond // exercise value-log GC while reading
		o.LogValueThreshold = -1 - th   // and read under the other threshold (0 ↔ -1)
		s, err = persistence.Open(o)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		for _, i := range []int{0, n / 2, n - 1} {
			if v, found, err := s.Get(keys[i]); err != nil || !found || !bytes.Equal(v, vals[i]) {
				t.Errorf("threshold %d: Get(%s) = %d bytes %v %v", th, keys[i], len(v), found, err)
			}
		}
		count := 0
		if err := s.Scan([]byte("result/d1/"), nil, func(_, v []byte) bool { count++; return len(v) == 600 }); err != nil || count != n {
			t.Errorf("threshold %d: scan saw %d of %d values, %v", th, count, n, err)
		}
		_ = s.Close()
	}
	t.Logf("table bytes for %d values of 600 bytes: default %d, threshold -1 %d", n, sizes[0], sizes[-1])
	if sizes[0]*4 > raw || sizes[-1] < raw {
		t.Errorf("table bytes: default %d (want well under %d: pointers), in-tree %d (want at least %d)", sizes[0], raw, sizes[-1], raw)
	}
}
