// Package actors holds TopoForge's stateful core as protoactor-go actors.
//
// # Ownership
//
// Every piece of mutable state has exactly one owner actor, and only the owner reads or writes
// its keys in the Store:
//
//   - root: the supervisor. It owns nothing but its children (the managers) and restarts a
//     crashed child OneForOne: up to MaxRestarts within RestartWindow, after which the child is
//     stopped and the failure is logged. Restarted actors reload their state from the Store in
//     *actor.Started, so a restart loses nothing that was acknowledged.
//   - users (root/users): accounts, username uniqueness, refresh-token IDs, API keys and the
//     in-memory login-failure counters (lockouts are deliberately not persisted). It serialises
//     registrations, so a name can be taken only once.
//
// # Who may message whom
//
// The HTTP layer sends requests to managers by their stable IDs (Engine's PIDs) with
// RequestFuture and a timeout; managers forward to their children. Children never message the
// HTTP layer, and no actor blocks on another actor's reply inside Receive.
//
// # Durability
//
// An actor answers a write only after Store.Write returned, so a 2xx reply means the change is
// on disk.
package actors
