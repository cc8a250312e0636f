package persistence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// FormatVersion is the version of the key layout and encodings described in FORMAT.md.
// Opening an older directory upgrades it (FORMAT.md's migration notes say what moves), so older
// binaries then refuse it.
const FormatVersion = 4

// versionKey holds FormatVersion as a decimal string.
var versionKey = []byte("meta/format_version")

// defaultLogValueThreshold is Options.LogValueThreshold's default.
const defaultLogValueThreshold = 256

// logDirName is the detection log's database directory inside Options.Dir.
const logDirName = "log"

// LogPrefixes returns the key prefixes of the detection log: the stored detection results and the
// counters the result writer updates with them. They live in their own database (Dir/log) whose
// durability Options.LogSyncInterval sets; every other key lives in the main database.
func LogPrefixes() []string { return []string{"result/", "dtotal/", "dstat/"} }

// ErrClosed is returned by every method after Close.
var ErrClosed = errors.New("persistence: store is closed")

// Options configures Open. The zero value of a size field means the default given.
type Options struct {
	// Dir is the data directory; it is created when missing. Required.
	Dir string
	// LogSyncInterval sets how writes to the detection log (LogPrefixes) become durable.
	// 0 syncs every log write before it is acknowledged, as every other write is. A positive
	// interval acknowledges a log write once the operating system holds it (in Badger's
	// memory-mapped write-ahead log, so a crash or kill -9 of the process loses nothing) and
	// syncs the log to disk every interval: a power loss or kernel crash can lose the log writes
	// of the last interval (and of a memtable switched out and not yet flushed, a few seconds
	// at most). Everything else is always synced before it is acknowledged.
	LogSyncInterval time.Duration
	// MemTableSize is Badger's memtable size in bytes, for each of the two databases. Default
	// 64 MiB; Badger panics below about 8 MiB, so Open raises smaller values to 8 MiB.
	MemTableSize int64
	// ValueLogFileSize bounds one value-log file in bytes. Default 256 MiB.
	ValueLogFileSize int64
	// BlockCacheSize is the block cache in bytes, for each database. Default 256 MiB (Badger's);
	// 0 keeps the default.
	BlockCacheSize int64
	// IndexCacheSize is the index cache in bytes. Default 0 (indexes kept in memory).
	IndexCacheSize int64
	// NumCompactors is the number of compaction goroutines per database. Default 2 (Badger's
	// minimum).
	NumCompactors int
	// LogCompression compresses the detection log's tables: "snappy" (the default, also for
	// ""), "zstd" or "none". A stored single-row result of shuttle takes 158 bytes of table with
	// snappy, 113 with zstd and 360 uncompressed; 20-second runs of single-row detection at
	// ~18k req/s measured no throughput difference between snappy and none (bench/RESULTS.md).
	// The main database always uses snappy.
	LogCompression string
	// LogValueThreshold is the size in bytes from which a detection-log value is written to
	// Badger's value log instead of into its LSM tree, which then holds only a pointer. Default
	// 256: a result segment (one group commit's results of one detector, ~340 bytes per result)
	// goes to the value log, so memtable flushes and compactions move pointers instead of the
	// results; that took 15-20 % off the server's CPU per single-row detection and ~40 % off its
	// p99 (bench/RESULTS.md). < 0: Badger's default (1 MiB: everything in the tree).
	LogValueThreshold int64
	// GCInterval is how often the value logs are garbage-collected. Default 10 minutes; < 0
	// disables.
	GCInterval time.Duration
	// Logger receives Badger's warnings and errors, and failed background syncs. Default:
	// discarded.
	Logger *slog.Logger
}

// SmallOptions returns options sized for tests and small deployments: 8 MiB memtables and
// 16 MiB value-log files, about 30 MB resident per database instead of Badger's ~90 MB
// defaults. The detection log is synced every 100 ms, as the server's default.
func SmallOptions(dir string) Options {
	return Options{
		Dir:              dir,
		LogSyncInterval:  100 * time.Millisecond,
		MemTableSize:     8 << 20,
		ValueLogFileSize: 16 << 20,
		BlockCacheSize:   8 << 20,
		GCInterval:       -1,
	}
}

// Badger is a Store backed by two embedded Badger databases: the main one, every write synced
// before it returns, and the detection log (keys under LogPrefixes, in Dir/log) with the
// durability Options.LogSyncInterval sets.
type Badger struct {
	main   *badger.DB
	log    *badger.DB
	logger *slog.Logger
	stop   chan struct{}
	wg     sync.WaitGroup
	mu     sync.RWMutex
	closed bool
}

// ParseCompression returns the Badger compression a LogCompression value names.
func ParseCompression(name string) (options.CompressionType, error) {
	switch name {
	case "", "snappy":
		return options.Snappy, nil
	case "none":
		return options.None, nil
	case "zstd":
		return options.ZSTD, nil
	}
	return options.None, fmt.Errorf("compression %q: want snappy, zstd or none", name)
}

// badgerOptions returns the Badger options of the database in dir; log selects the detection
// log's compression.
func badgerOptions(opts Options, dir string, syncWrites, log bool) badger.Options {
	bo := badger.DefaultOptions(dir).
		WithSyncWrites(syncWrites).
		WithLogger(slogAdapter{opts.Logger}).
		WithMetricsEnabled(false).
		// The Store has no read-modify-write transactions (actors own their keys and serialise
		// their own updates), so Badger's conflict tracking would only cost time per key.
		WithDetectConflicts(false).
		WithNumVersionsToKeep(1)
	if log {
		c, _ := ParseCompression(opts.LogCompression) // Open has checked it
		bo = bo.WithCompression(c)
		switch {
		case opts.LogValueThreshold == 0:
			bo = bo.WithValueThreshold(defaultLogValueThreshold)
		case opts.LogValueThreshold > 0:
			bo = bo.WithValueThreshold(opts.LogValueThreshold)
		}
	}
	if opts.MemTableSize > 0 {
		bo = bo.WithMemTableSize(max(opts.MemTableSize, 8<<20))
	}
	if opts.ValueLogFileSize > 0 {
		bo = bo.WithValueLogFileSize(opts.ValueLogFileSize)
	}
	if opts.BlockCacheSize > 0 {
		bo = bo.WithBlockCacheSize(opts.BlockCacheSize)
	}
	if opts.IndexCacheSize > 0 {
		bo = bo.WithIndexCacheSize(opts.IndexCacheSize)
	}
	if opts.NumCompactors >= 2 {
		bo = bo.WithNumCompactors(opts.NumCompactors)
	}
	return bo
}

// Open opens (creating when needed) the databases in opts.Dir, checks the format version,
// upgrades an older directory (moving a version-2 directory's detection log into Dir/log), and
// starts value-log garbage collection and the detection log's periodic sync.
func Open(opts Options) (*Badger, error) {
	if opts.Dir == "" {
		return nil, errors.New("open store: empty data directory")
	}
	if opts.LogSyncInterval < 0 {
		return nil, fmt.Errorf("open store: negative log sync interval %v", opts.LogSyncInterval)
	}
	if _, err := ParseCompression(opts.LogCompression); err != nil {
		return nil, fmt.Errorf("open store: log %w", err)
	}
	main, err := badger.Open(badgerOptions(opts, opts.Dir, true, false))
	if err != nil {
		return nil, fmt.Errorf("open badger in %s: %w", opts.Dir, err)
	}
	s := &Badger{main: main, logger: opts.Logger, stop: make(chan struct{})}
	logDir := filepath.Join(opts.Dir, logDirName)
	if err := s.checkVersion(opts, logDir); err != nil {
		return nil, errors.Join(err, main.Close())
	}
	s.log, err = badger.Open(badgerOptions(opts, logDir, opts.LogSyncInterval == 0, true))
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open detection log in %s: %w", logDir, err), main.Close())
	}
	interval := opts.GCInterval
	if interval == 0 {
		interval = 10 * time.Minute
	}
	if interval > 0 {
		s.wg.Add(1)
		go s.gcLoop(interval)
	}
	if opts.LogSyncInterval > 0 {
		s.wg.Add(1)
		go s.syncLoop(opts.LogSyncInterval)
	}
	return s, nil
}

// checkVersion reads the main database's format version: it records the current one in a new
// directory, refuses a newer one and upgrades an older one.
func (s *Badger) checkVersion(opts Options, logDir string) error {
	v, found, err := s.get(s.main, versionKey)
	if err != nil {
		return fmt.Errorf("read format version: %w", err)
	}
	if !found {
		return s.writeDB(s.main, [][]byte{versionKey}, [][]byte{[]byte(strconv.Itoa(FormatVersion))})
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return fmt.Errorf("parse format version %q: %w", v, err)
	}
	if n > FormatVersion {
		return fmt.Errorf("data directory has format version %d, this binary reads up to %d", n, FormatVersion)
	}
	if n < 3 { // versions 1 and 2 kept the detection log in the main database
		if err := s.moveLog(opts, logDir); err != nil {
			return fmt.Errorf("upgrade format version %d to %d: %w", n, FormatVersion, err)
		}
	}
	if n < FormatVersion { // values of every older layout are read as they are
		if err := s.writeDB(s.main, [][]byte{versionKey}, [][]byte{[]byte(strconv.Itoa(FormatVersion))}); err != nil {
			return fmt.Errorf("upgrade format version %d to %d: %w", n, FormatVersion, err)
		}
	}
	return nil
}

// moveLog moves every key under LogPrefixes from the main database into the detection log in
// logDir. It is safe to repeat after a crash at any point: the copy is made durable (the log
// database is closed, which flushes it) before anything is deleted from the main database, and
// the format version is recorded only after the deletions.
func (s *Badger) moveLog(opts Options, logDir string) error {
	// Unsynced writes: Close below flushes the memtables into synced tables, which is what
	// makes the copy durable before anything is deleted.
	logDB, err := badger.Open(badgerOptions(opts, logDir, false, true))
	if err != nil {
		return fmt.Errorf("open detection log in %s: %w", logDir, err)
	}
	start, moved := time.Now(), 0
	wb := logDB.NewWriteBatch()
	for _, p := range LogPrefixes() {
		err = s.scanDB(s.main, []byte(p), nil, func(k, v []byte) bool {
			err = wb.Set(bytes.Clone(k), bytes.Clone(v))
			moved++
			return err == nil
		})
		if err != nil {
			break
		}
	}
	if err == nil {
		err = wb.Flush()
	} else {
		wb.Cancel()
	}
	if cerr := logDB.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close detection log: %w", cerr)
	}
	if err != nil {
		return fmt.Errorf("copy the detection log: %w", err)
	}
	// Nothing else writes yet, so Badger's DropPrefix (which blocks writes while it drops whole
	// tables) is the cheap way: deleting a million keys one by one takes a minute.
	prefixes := make([][]byte, 0, len(LogPrefixes()))
	for _, p := range LogPrefixes() {
		prefixes = append(prefixes, []byte(p))
	}
	if err := s.main.DropPrefix(prefixes...); err != nil {
		return fmt.Errorf("drop the moved detection log: %w", err)
	}
	if s.logger != nil {
		s.logger.Info("store upgrade: detection log moved to its own database", "keys", moved, "dir", logDir, "duration", time.Since(start))
	}
	return nil
}

func (s *Badger) gcLoop(interval time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			for s.main.RunValueLogGC(0.5) == nil {
			}
			for s.log.RunValueLogGC(0.5) == nil {
			}
		}
	}
}

// syncLoop syncs the detection log every interval until Close.
func (s *Badger) syncLoop(interval time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			if err := s.log.Sync(); err != nil && s.logger != nil {
				s.logger.Error("sync the detection log", "err", err)
			}
		}
	}
}

// isLog reports whether key belongs to the detection log.
func isLog(key []byte) bool {
	for _, p := range LogPrefixes() {
		if bytes.HasPrefix(key, []byte(p)) {
			return true
		}
	}
	return false
}

// coversLog reports whether some detection-log key has the prefix (the prefix is shorter than
// one of LogPrefixes), so a scan of it must read both databases.
func coversLog(prefix []byte) bool {
	for _, p := range LogPrefixes() {
		if len(prefix) < len(p) && strings.HasPrefix(p, string(prefix)) {
			return true
		}
	}
	return false
}

// dbFor returns the database that holds key.
func (s *Badger) dbFor(key []byte) *badger.DB {
	if isLog(key) {
		return s.log
	}
	return s.main
}

// Get returns a copy of the value stored under key; found is false when there is none.
func (s *Badger) Get(key []byte) (value []byte, found bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, ErrClosed
	}
	return s.get(s.dbFor(key), key)
}

func (s *Badger) get(db *badger.DB, key []byte) (value []byte, found bool, err error) {
	err = db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if err != nil {
			return err
		}
		value, err = item.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("get %q: %w", key, err)
	}
	return value, true, nil
}

// split separates keys (and their values) into those of the main database and those of the
// detection log, without copying when all fall in one.
func split(keys, values [][]byte) (mainK, mainV, logK, logV [][]byte) {
	nLog := 0
	for _, k := range keys {
		if isLog(k) {
			nLog++
		}
	}
	switch nLog {
	case 0:
		return keys, values, nil, nil
	case len(keys):
		return nil, nil, keys, values
	}
	for i, k := range keys {
		if isLog(k) {
			logK, logV = append(logK, k), append(logV, values[i])
		} else {
			mainK, mainV = append(mainK, k), append(mainV, values[i])
		}
	}
	return mainK, mainV, logK, logV
}

// Write stores every keys[i] → values[i] pair atomically and durably; a nil value deletes its
// key. Detection-log keys are as durable as Options.LogSyncInterval says. A batch with keys in
// both databases is two atomic writes, the main database's first. It panics when the slices
// differ in length. A batch too large for one Badger transaction returns an error and writes
// nothing: callers keep batches to a few MiB.
func (s *Badger) Write(keys, values [][]byte) error {
	if len(keys) != len(values) {
		panic("persistence: Write with mismatched keys and values")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	mainK, mainV, logK, logV := split(keys, values)
	if len(mainK) > 0 {
		if err := s.writeDB(s.main, mainK, mainV); err != nil {
			return err
		}
	}
	if len(logK) > 0 {
		if err := s.writeDB(s.log, logK, logV); err != nil {
			return fmt.Errorf("detection log: %w", err)
		}
	}
	return nil
}

// setAll adds the writes to txn.
func setAll(txn *badger.Txn, keys, values [][]byte) error {
	for i, k := range keys {
		var err error
		if values[i] == nil {
			err = txn.Delete(k)
		} else {
			err = txn.Set(k, values[i])
		}
		if err != nil {
			return fmt.Errorf("key %q: %w", k, err)
		}
	}
	return nil
}

func (s *Badger) writeDB(db *badger.DB, keys, values [][]byte) error {
	err := db.Update(func(txn *badger.Txn) error { return setAll(txn, keys, values) })
	if err != nil {
		return fmt.Errorf("write %d keys: %w", len(keys), err)
	}
	return nil
}

// WriteAsync is Write without waiting: it enqueues the batch and returns; done runs (on another
// goroutine) once the batch is as durable as Write would have made it, or with the error.
// Batches commit in the order WriteAsync was called, so a later batch's values win over an
// earlier one's, while several batches share one sync. Keys of the main database in a batch
// that also holds detection-log keys are written (synced) before WriteAsync returns. It panics
// when the slices differ in length.
func (s *Badger) WriteAsync(keys, values [][]byte, done func(error)) {
	if len(keys) != len(values) {
		panic("persistence: WriteAsync with mismatched keys and values")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		done(ErrClosed)
		return
	}
	mainK, mainV, logK, logV := split(keys, values)
	db := s.log
	switch {
	case len(logK) == 0:
		db, logK, logV = s.main, mainK, mainV
	case len(mainK) > 0:
		if err := s.writeDB(s.main, mainK, mainV); err != nil {
			done(err)
			return
		}
	}
	txn := db.NewTransaction(true)
	if err := setAll(txn, logK, logV); err != nil {
		txn.Discard()
		done(fmt.Errorf("write async: %w", err))
		return
	}
	txn.CommitWith(func(err error) {
		if err != nil {
			err = fmt.Errorf("write %d keys: %w", len(logK), err)
		}
		done(err)
	})
}

// Scan calls fn for every key with the prefix, in key order, starting at from when from sorts
// after the prefix. key and value are valid only during the call. fn returns false to stop.
func (s *Badger) Scan(prefix, from []byte, fn func(key, value []byte) bool) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	var err error
	switch {
	case isLog(prefix):
		err = s.scanDB(s.log, prefix, from, fn)
	case coversLog(prefix):
		err = s.scanBoth(prefix, from, fn)
	default:
		err = s.scanDB(s.main, prefix, from, fn)
	}
	if err != nil {
		return fmt.Errorf("scan %q: %w", prefix, err)
	}
	return nil
}

// scanStart is where a scan of prefix from from begins.
func scanStart(prefix, from []byte) []byte {
	if bytes.Compare(from, prefix) > 0 {
		return from
	}
	return prefix
}

// newIterator returns a key-only-prefetch iterator of txn over prefix, positioned at start.
func newIterator(txn *badger.Txn, prefix, start []byte) *badger.Iterator {
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	opts.PrefetchValues = false
	it := txn.NewIterator(opts)
	it.Seek(start)
	return it
}

// visit calls fn with item's key and value; keep is fn's answer.
func visit(item *badger.Item, fn func(key, value []byte) bool) (keep bool, err error) {
	err = item.Value(func(v []byte) error {
		keep = fn(item.Key(), v)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read %q: %w", item.Key(), err)
	}
	return keep, nil
}

func (s *Badger) scanDB(db *badger.DB, prefix, from []byte, fn func(key, value []byte) bool) error {
	return db.View(func(txn *badger.Txn) error {
		it := newIterator(txn, prefix, scanStart(prefix, from))
		defer it.Close()
		for ; it.ValidForPrefix(prefix); it.Next() {
			if keep, err := visit(it.Item(), fn); err != nil || !keep {
				return err
			}
		}
		return nil
	})
}

// scanBoth is scanDB over both databases at once, merged in key order (no key is in both).
func (s *Badger) scanBoth(prefix, from []byte, fn func(key, value []byte) bool) error {
	start := scanStart(prefix, from)
	return s.main.View(func(mt *badger.Txn) error {
		return s.log.View(func(lt *badger.Txn) error {
			a, b := newIterator(mt, prefix, start), newIterator(lt, prefix, start)
			defer a.Close()
			defer b.Close()
			for {
				va, vb := a.ValidForPrefix(prefix), b.ValidForPrefix(prefix)
				if !va && !vb {
					return nil
				}
				it := a
				if !va || (vb && bytes.Compare(b.Item().Key(), a.Item().Key()) < 0) {
					it = b
				}
				if keep, err := visit(it.Item(), fn); err != nil || !keep {
					return err
				}
				it.Next()
			}
		})
	})
}

// DeletePrefix deletes every key with the prefix, durably (detection-log keys as Write makes
// them), in batches; other writers are not blocked. Keys written under the prefix while it runs
// may survive.
func (s *Badger) DeletePrefix(prefix []byte) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	switch {
	case isLog(prefix):
		return s.deletePrefix(s.log, prefix)
	case coversLog(prefix):
		return errors.Join(s.deletePrefix(s.main, prefix), s.deletePrefix(s.log, prefix))
	}
	return s.deletePrefix(s.main, prefix)
}

func (s *Badger) deletePrefix(db *badger.DB, prefix []byte) error {
	const batch = 10000 // keys deleted per transaction, well under Badger's transaction limit
	var from []byte
	for {
		keys := make([][]byte, 0, batch)
		err := s.scanDB(db, prefix, from, func(k, _ []byte) bool {
			keys = append(keys, bytes.Clone(k))
			return len(keys) < batch
		})
		if err != nil {
			return fmt.Errorf("delete prefix %q: %w", prefix, err)
		}
		if len(keys) == 0 {
			return nil
		}
		if err := s.writeDB(db, keys, make([][]byte, len(keys))); err != nil {
			return fmt.Errorf("delete prefix %q: %w", prefix, err)
		}
		if len(keys) < batch {
			return nil
		}
		// Go on after the last deleted key: a scan from the prefix would step over every
		// tombstone written so far, which makes a large delete quadratic.
		from = append(keys[len(keys)-1], 0)
	}
}

// Ping checks that both databases answer a read, for health checks.
func (s *Badger) Ping(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		_, _, err := s.Get(versionKey)
		if err == nil {
			_, _, err = s.Get([]byte(LogPrefixes()[0]))
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("ping store: %w", ctx.Err())
	}
}

// Close stops the background work and closes both databases (which syncs the detection log).
// Calls after the first return nil.
func (s *Badger) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	s.wg.Wait()
	var errs []error
	if err := s.log.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close detection log: %w", err))
	}
	if err := s.main.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close badger: %w", err))
	}
	return errors.Join(errs...)
}

// slogAdapter routes Badger's logger to slog; Info and Debug are dropped (Badger is chatty).
type slogAdapter struct{ l *slog.Logger }

// Errorf implements badger.Logger.
func (a slogAdapter) Errorf(f string, args ...any) {
	if a.l != nil {
		a.l.Error(fmt.Sprintf(f, args...), "component", "badger")
	}
}

// Warningf implements badger.Logger.
func (a slogAdapter) Warningf(f string, args ...any) {
	if a.l != nil {
		a.l.Warn(fmt.Sprintf(f, args...), "component", "badger")
	}
}

// Infof implements badger.Logger; Badger's info lines are dropped.
func (a slogAdapter) Infof(string, ...any) {}

// Debugf implements badger.Logger; Badger's debug lines are dropped.
func (a slogAdapter) Debugf(string, ...any) {}
