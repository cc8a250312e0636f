// Package persistence stores TopoForge's state in an embedded Badger (v4) database.
//
// *Badger implements the small Store interface that package actors declares: Get, Write (an
// atomic batch), Scan (ordered by key, under a prefix), DeletePrefix and Ping. Every Write is
// synced to disk before it returns (Badger's SyncWrites), so an actor that replies after a Write
// has made the change durable; Badger groups concurrent commits into one fsync.
//
// Key layout and value encodings are versioned in FORMAT.md beside this file. Open refuses a
// data directory written in a newer format.
//
// A *Badger is safe for concurrent use.
package persistence
