// Package load drives a running TopoForge server over its public HTTP and WebSocket APIs and
// measures it: single-row REST detection (requests/s, latency percentiles), batch detection of a
// dataset end to end, streaming events per second with event-to-analysis latency, and the memory
// of many idle stream sessions. It never imports the server's packages: it is a client.
//
// `topoforge bench` runs these scenarios against a server it starts as a separate process on a
// loopback port; figures and commands are recorded in bench/RESULTS.md. Every loop is bounded
// in time and count, and every target is a loopback address.
package load
