package messages

import (
	"encoding/json"
	"time"
)

// StreamSink receives a stream's frames (analysis, buffering, config_ack, error) for one client.
// Send must not block: it reports false when the client is gone or too slow, and the stream
// then drops the sink.
type StreamSink interface {
	Send(frame []byte) bool
}

// JoinStream attaches a client to the principal's stream Name (created on first use). Reply:
// *StreamJoined with the stream actor's PID, to which the client then sends StreamFrames.
// Ephemeral streams (a connection's own, unnamed stream) are forgotten when the client leaves.
type JoinStream struct {
	Principal Principal
	Name      string
	Ephemeral bool
	Sink      StreamSink
}

// StreamJoined answers JoinStream. Actor is the stream actor (a *actor.PID, kept as any so this
// package does not import protoactor).
type StreamJoined struct {
	Actor  any
	Config json.RawMessage
	Err    *Error
}

// LeaveStream detaches a client. No reply.
type LeaveStream struct {
	Sink StreamSink
}

// StreamFrame is one client frame for a stream actor: an event (wrapped or raw) or a config.
// Results go to the sinks: errors and buffering to Sink only, analyses to every sink.
type StreamFrame struct {
	Sink     StreamSink
	Data     []byte
	Received time.Time
}

// FlushStream is answered (*Ack) once every frame sent before it was processed.
type FlushStream struct{}

// ListAnomalies pages through stored stream anomalies, newest first, filtered by time (the
// event's timestamp when it had one, else when it was received) and stream name. Page is
// 1-based. For export, After resumes after a cursor and Page is ignored. Reply: *AnomalyPage.
type ListAnomalies struct {
	Principal Principal
	Page      int
	Limit     int
	Start     time.Time
	End       time.Time
	Stream    string
	After     string
	NoCount   bool
}

// AnomalyPage answers ListAnomalies: raw JSON records, the total matching count (unless
// NoCount) and the cursor after the last record ("" at the end).
type AnomalyPage struct {
	Anomalies []json.RawMessage
	Total     int
	Next      string
	Err       *Error
}

// ComputeTDA asks the topology workers to compute a golden-format input document (see package
// tdajson). Reply: *TDAResult.
type ComputeTDA struct {
	Input []byte
}

// TDAResult answers ComputeTDA with the encoded result, or an error (CodeValidation for bad
// input, naming the field).
type TDAResult struct {
	Body []byte
	Err  *Error
}
