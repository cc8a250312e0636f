package persistence

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// FormatVersion is the version of the key layout and encodings described in FORMAT.md.
// Opening an older directory upgrades its recorded version (FORMAT.md's migration notes say
// why no data needs rewriting), so older binaries then refuse it.
const FormatVersion = 2

// versionKey holds FormatVersion as a decimal string.
var versionKey = []byte("meta/format_version")

// ErrClosed is returned by every method after Close.
var ErrClosed = errors.New("persistence: store is closed")

// Options configures Open. The zero value of a size field means the default given.
type Options struct {
	// Dir is the data directory; it is created when missing. Required.
	Dir string
	// MemTableSize is Badger's memtable size in bytes. Default 64 MiB; Badger panics below
	// about 8 MiB, so Open raises smaller values to 8 MiB.
	MemTableSize int64
	// ValueLogFileSize bounds one value-log file in bytes. Default 256 MiB.
	ValueLogFileSize int64
	// BlockCacheSize is the block cache in bytes. Default 256 MiB (Badger's); 0 keeps the default.
	BlockCacheSize int64
	// IndexCacheSize is the index cache in bytes. Default 0 (indexes kept in memory).
	IndexCacheSize int64
	// NumCompactors is the number of compaction goroutines. Default 2 (Badger's minimum).
	NumCompactors int
	// GCInterval is how often the value log is garbage-collected. Default 10 minutes; < 0 disables.
	GCInterval time.Duration
	// Logger receives Badger's warnings and errors. Default: discarded.
	Logger *slog.Logger
}

// SmallOptions returns options sized for tests and small deployments: 8 MiB memtables and
// 16 MiB value-log files, about 30 MB resident instead of Badger's ~90 MB defaults.
func SmallOptions(dir string) Options {
	return Options{
		Dir:              dir,
		MemTableSize:     8 << 20,
		ValueLogFileSize: 16 << 20,
		BlockCacheSize:   8 << 20,
		GCInterval:       -1,
	}
}

// Badger is a Store backed by an embedded Badger database.
type Badger struct {
	db     *badger.DB
	stop   chan struct{}
	wg     sync.WaitGroup
	mu     sync.RWMutex
	closed bool
}

// Open opens (creating when needed) the Badger database in opts.Dir, checks its format version
// and starts value-log garbage collection.
func Open(opts Options) (*Badger, error) {
	if opts.Dir == "" {
		return nil, errors.New("open store: empty data directory")
	}
	bo := badger.DefaultOptions(opts.Dir).
		WithSyncWrites(true).
		WithLogger(slogAdapter{opts.Logger}).
		WithMetricsEnabled(false).
		// The Store has no read-modify-write transactions (actors own their keys and serialise
		// their own updates), so Badger's conflict tracking would only cost time per key.
		WithDetectConflicts(false).
		WithNumVersionsToKeep(1)
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
	db, err := badger.Open(bo)
	if err != nil {
		return nil, fmt.Errorf("open badger in %s: %w", opts.Dir, err)
	}
	s := &Badger{db: db, stop: make(chan struct{})}
	if err := s.checkVersion(); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	interval := opts.GCInterval
	if interval == 0 {
		interval = 10 * time.Minute
	}
	if interval > 0 {
		s.wg.Add(1)
		go s.gcLoop(interval)
	}
	return s, nil
}

func (s *Badger) checkVersion() error {
	v, found, err := s.Get(versionKey)
	if err != nil {
		return fmt.Errorf("read format version: %w", err)
	}
	if !found {
		return s.Write([][]byte{versionKey}, [][]byte{[]byte(strconv.Itoa(FormatVersion))})
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return fmt.Errorf("parse format version %q: %w", v, err)
	}
	if n > FormatVersion {
		return fmt.Errorf("data directory has format version %d, this binary reads up to %d", n, FormatVersion)
	}
	if n < FormatVersion { // every older layout is read as it is: record the upgrade
		if err := s.Write([][]byte{versionKey}, [][]byte{[]byte(strconv.Itoa(FormatVersion))}); err != nil {
			return fmt.Errorf("upgrade format version %d to %d: %w", n, FormatVersion, err)
		}
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
			for s.db.RunValueLogGC(0.5) == nil {
			}
		}
	}
}

// Get returns a copy of the value stored under key; found is false when there is none.
func (s *Badger) Get(key []byte) (value []byte, found bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, ErrClosed
	}
	err = s.db.View(func(txn *badger.Txn) error {
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

// Write stores every keys[i] → values[i] pair atomically and durably; a nil value deletes its
// key. It panics when the slices differ in length. A batch too large for one Badger transaction
// returns an error and writes nothing: callers keep batches to a few MiB.
func (s *Badger) Write(keys, values [][]byte) error {
	if len(keys) != len(values) {
		panic("persistence: Write with mismatched keys and values")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	err := s.db.Update(func(txn *badger.Txn) error {
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
	})
	if err != nil {
		return fmt.Errorf("write %d keys: %w", len(keys), err)
	}
	return nil
}

// WriteAsync is Write without waiting: it enqueues the batch and returns; done runs (on another
// goroutine) once the batch is durable, or with the error. Batches commit in the order
// WriteAsync was called, so a later batch's values win over an earlier one's, while several
// batches share one fsync. It panics when the slices differ in length.
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
	txn := s.db.NewTransaction(true)
	for i, k := range keys {
		var err error
		if values[i] == nil {
			err = txn.Delete(k)
		} else {
			err = txn.Set(k, values[i])
		}
		if err != nil {
			txn.Discard()
			done(fmt.Errorf("write async key %q: %w", k, err))
			return
		}
	}
	txn.CommitWith(func(err error) {
		if err != nil {
			err = fmt.Errorf("write %d keys: %w", len(keys), err)
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
	err := s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		start := prefix
		if bytes.Compare(from, prefix) > 0 {
			start = from
		}
		for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			var keep bool
			err := item.Value(func(v []byte) error {
				keep = fn(item.Key(), v)
				return nil
			})
			if err != nil {
				return fmt.Errorf("read %q: %w", item.Key(), err)
			}
			if !keep {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scan %q: %w", prefix, err)
	}
	return nil
}

// DeletePrefix deletes every key with the prefix, durably, in batches; other writers are not
// blocked. Keys written under the prefix while it runs may survive.
func (s *Badger) DeletePrefix(prefix []byte) error {
	const batch = 10000 // keys deleted per transaction, well under Badger's transaction limit
	for {
		keys := make([][]byte, 0, batch)
		err := s.Scan(prefix, nil, func(k, _ []byte) bool {
			keys = append(keys, bytes.Clone(k))
			return len(keys) < batch
		})
		if err != nil {
			return fmt.Errorf("delete prefix: %w", err)
		}
		if len(keys) == 0 {
			return nil
		}
		if err := s.Write(keys, make([][]byte, len(keys))); err != nil {
			return fmt.Errorf("delete prefix %q: %w", prefix, err)
		}
		if len(keys) < batch {
			return nil
		}
	}
}

// Ping checks that the database answers a read, for health checks.
func (s *Badger) Ping(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		_, _, err := s.Get(versionKey)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("ping store: %w", ctx.Err())
	}
}

// Close stops garbage collection and closes the database. Calls after the first return nil.
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
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close badger: %w", err)
	}
	return nil
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
