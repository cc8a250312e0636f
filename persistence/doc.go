// Package persistence stores TopoForge's state in embedded Badger (v4) databases.
//
// *Badger implements the small Store interface that package actors declares: Get, Write (an
// atomic batch), WriteAsync, Scan (ordered by key, under a prefix), DeletePrefix and Ping. It
// keeps two databases: the main one, where every Write is synced to disk before it returns
// (Badger's SyncWrites; Badger groups concurrent commits into one fsync), and the detection log
// (keys under LogPrefixes: stored detection results and their counters), whose writes are by
// default acknowledged once the operating system holds them, which survives a crash or kill -9
// of the process, and synced every Options.LogSyncInterval. A zero interval syncs the log's
// writes too before they return. Reads and scans route by key; a scan whose prefix covers both
// merges them in key order.
//
// Key layout and value encodings are versioned in FORMAT.md beside this file. Open refuses a
// data directory written in a newer format.
//
// A *Badger is safe for concurrent use.
package persistence
