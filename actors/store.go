package actors

import "context"

// Store is the durable key-value store actors persist their snapshots in. package persistence
// implements it with Badger; a replicated implementation can satisfy it in cluster mode.
//
// Write is atomic and durable when it returns nil: an actor replies to a write request only after
// its Write returned. The detection results and their counters may be durable in the weaker
// sense the store documents for them (package persistence: they survive a crash of the process
// at once, and a power loss once the store's periodic sync has run).
type Store interface {
	// Get returns the value under key; found is false when there is none.
	Get(key []byte) (value []byte, found bool, err error)
	// Write stores keys[i] → values[i] atomically; a nil value deletes the key.
	Write(keys, values [][]byte) error
	// WriteAsync is Write that returns at once and calls done when the batch is durable.
	// Batches commit in call order.
	WriteAsync(keys, values [][]byte, done func(error))
	// Scan calls fn in key order for keys with the prefix, from the first key >= from; fn returns
	// false to stop. key and value are only valid during the call.
	Scan(prefix, from []byte, fn func(key, value []byte) bool) error
	// DeletePrefix deletes every key with the prefix.
	DeletePrefix(prefix []byte) error
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
}
