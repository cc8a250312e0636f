// Package messages holds the types that TopoForge's HTTP layer and its actors exchange.
//
// Messages are plain structs sent by pointer and never mutated after sending. Messages an actor
// on another cluster node could receive are protobuf (the .proto files beside this one, with the
// generated .pb.go committed; `make proto` regenerates them). Replies that fail carry an *Error
// whose Code comes from a closed, append-only list that the HTTP layer maps to a status code in
// one place.
package messages
