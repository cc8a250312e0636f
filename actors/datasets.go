package actors

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/dataset"
	"github.com/topoforge/topoforge/messages"
)

// datasets is the datasets manager (root/datasets). It owns dataset/<id> metadata and the row
// chunks dsrow/<id>/<n>. An upload streams in: BeginDataset reserves an ID, PutChunk stores each
// chunk as the HTTP layer parses it (so a large file never sits in memory whole), and
// CommitDataset writes the metadata last, which makes the dataset visible. Chunks of uploads
// that never committed (a crash mid-upload) are deleted at start.
type datasets struct {
	cfg     Config
	log     *slog.Logger
	items   map[string]*messages.Dataset
	pending map[string]string // upload ID → owner
}

func newDatasets(cfg Config) actor.Actor {
	return &datasets{cfg: cfg, log: cfg.Logger.With("actor", "datasets")}
}

func datasetKey(id string) []byte { return []byte("dataset/" + id) }

func chunkPrefix(id string) string { return "dsrow/" + id + "/" }

func chunkKey(id string, n int) []byte { return fmt.Appendf(nil, "dsrow/%s/%08d", id, n) }

// Receive implements actor.Actor.
func (d *datasets) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		if err := d.load(); err != nil {
			panic(fmt.Errorf("datasets: load: %w", err))
		}
	case *statsProbe, *messages.Stats:
		ctx.Respond(&messages.StatsReply{Counters: map[string]int64{"datasets": int64(len(d.items))}})
	case *messages.BeginDataset:
		id := auth.NewID("ds_")
		d.pending[id] = m.Principal.UserID
		ctx.Respond(&messages.DatasetReply{Dataset: messages.Dataset{ID: id}})
	case *messages.PutChunk:
		if _, ok := d.pending[m.ID]; !ok {
			ctx.Respond(&messages.Ack{Err: messages.Errorf(messages.CodeNotFound, "no upload %s in progress", m.ID)})
			return
		}
		if err := d.cfg.Store.Write([][]byte{chunkKey(m.ID, m.Index)}, [][]byte{m.Data}); err != nil {
			d.log.Error("store chunk", "id", m.ID, "err", err)
			ctx.Respond(&messages.Ack{Err: messages.Errorf(messages.CodeInternal, "storage error")})
			return
		}
		ctx.Respond(&messages.Ack{})
	case *messages.CommitDataset:
		ctx.Respond(d.commit(m))
	case *messages.AbortDataset:
		delete(d.pending, m.ID)
		if err := d.cfg.Store.DeletePrefix([]byte(chunkPrefix(m.ID))); err != nil {
			d.log.Error("abort upload", "id", m.ID, "err", err)
		}
		ctx.Respond(&messages.Ack{})
	case *messages.ListDatasets:
		ctx.Respond(d.list(m))
	case *messages.GetDataset:
		ds, err := d.readable(m.Principal, m.ID)
		if err != nil {
			ctx.Respond(&messages.DatasetReply{Err: err})
			return
		}
		ctx.Respond(&messages.DatasetReply{Dataset: *ds})
	case *messages.GetSample:
		ctx.Respond(d.sample(m))
	case *messages.DeleteDataset:
		ctx.Respond(d.delete(m))
	case *messages.LoadTable:
		ctx.Respond(d.loadTable(m))
	}
}

func (d *datasets) load() error {
	d.items = map[string]*messages.Dataset{}
	d.pending = map[string]string{}
	var derr error
	err := d.cfg.Store.Scan([]byte("dataset/"), nil, func(k, v []byte) bool {
		var ds messages.Dataset
		var rec datasetRecord
		if derr = json.Unmarshal(v, &rec); derr != nil {
			return false
		}
		ds = rec.Dataset
		ds.Schema, ds.Chunks = rec.Schema, rec.Chunks
		d.items[ds.ID] = &ds
		return true
	})
	if err = errors.Join(err, derr); err != nil {
		return err
	}
	// Orphaned chunks: uploads that never committed.
	orphans := map[string]bool{}
	err = d.cfg.Store.Scan([]byte("dsrow/"), nil, func(k, _ []byte) bool {
		id, _, _ := strings.Cut(string(k[len("dsrow/"):]), "/")
		if _, ok := d.items[id]; !ok {
			orphans[id] = true
		}
		return true
	})
	if err != nil {
		return err
	}
	for id := range orphans {
		d.log.Warn("deleting chunks of an upload that never committed", "id", id)
		if err := d.cfg.Store.DeletePrefix([]byte(chunkPrefix(id))); err != nil {
			return err
		}
	}
	return nil
}

// datasetRecord is what dataset/<id> stores: the API view plus the schema and chunk count.
type datasetRecord struct {
	messages.Dataset
	Schema json.RawMessage `json:"schema"`
	Chunks int             `json:"chunks"`
}

func (d *datasets) commit(m *messages.CommitDataset) *messages.DatasetReply {
	owner, ok := d.pending[m.Dataset.ID]
	if !ok || owner != m.Principal.UserID {
		return &messages.DatasetReply{Err: messages.Errorf(messages.CodeNotFound, "no upload %s in progress", m.Dataset.ID)}
	}
	ds := m.Dataset
	ds.OwnerID = m.Principal.UserID
	ds.CreatedAt = d.cfg.Now().UTC()
	b, err := json.Marshal(datasetRecord{Dataset: ds, Schema: ds.Schema, Chunks: ds.Chunks})
	if err == nil {
		err = d.cfg.Store.Write([][]byte{datasetKey(ds.ID)}, [][]byte{b})
	}
	if err != nil {
		d.log.Error("commit dataset", "id", ds.ID, "err", err)
		return &messages.DatasetReply{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	delete(d.pending, ds.ID)
	d.items[ds.ID] = &ds
	return &messages.DatasetReply{Dataset: ds}
}

func (d *datasets) readable(p messages.Principal, id string) (*messages.Dataset, *messages.Error) {
	return lookup(d.items, func(ds *messages.Dataset) string { return ds.OwnerID }, p, "dataset", id, false)
}

func (d *datasets) list(m *messages.ListDatasets) *messages.DatasetList {
	var all []messages.Dataset
	for _, ds := range d.items {
		if !canRead(m.Principal, ds.OwnerID) || (m.Principal.Role == messages.RoleUser && ds.OwnerID != m.Principal.UserID) {
			continue
		}
		if m.Format != "" && ds.Format != m.Format {
			continue
		}
		v := *ds
		v.Features, v.Statistics = nil, nil // the list shows the summary fields only
		all = append(all, v)
	}
	slices.SortFunc(all, func(a, b messages.Dataset) int { return -cmpTimeID(a.CreatedAt, b.CreatedAt, a.ID, b.ID) })
	rep := &messages.DatasetList{Total: len(all), Datasets: []messages.Dataset{}}
	if m.Offset < len(all) {
		rep.Datasets = all[m.Offset:min(len(all), m.Offset+m.Limit)]
	}
	return rep
}

func (d *datasets) delete(m *messages.DeleteDataset) *messages.Ack {
	if _, err := lookup(d.items, func(ds *messages.Dataset) string { return ds.OwnerID }, m.Principal, "dataset", m.ID, true); err != nil {
		return &messages.Ack{Err: err}
	}
	if err := d.cfg.Store.Write([][]byte{datasetKey(m.ID)}, [][]byte{nil}); err != nil {
		return &messages.Ack{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	delete(d.items, m.ID)
	if err := d.cfg.Store.DeletePrefix([]byte(chunkPrefix(m.ID))); err != nil {
		d.log.Error("delete dataset rows", "id", m.ID, "err", err) // orphans are removed at next start
	}
	return &messages.Ack{}
}

func (d *datasets) schema(ds *messages.Dataset) (*dataset.Schema, error) {
	var s dataset.Schema
	if err := json.Unmarshal(ds.Schema, &s); err != nil {
		return nil, fmt.Errorf("decode schema of %s: %w", ds.ID, err)
	}
	return &s, nil
}

// chunkLoader returns the function that reads dataset id's chunks from the store.
func (d *datasets) chunkLoader(id string) func(int) ([]byte, error) {
	return func(n int) ([]byte, error) {
		v, found, err := d.cfg.Store.Get(chunkKey(id, n))
		if err == nil && !found {
			err = fmt.Errorf("chunk %d of dataset %s is missing", n, id)
		}
		return v, err
	}
}

func (d *datasets) sample(m *messages.GetSample) *messages.SampleReply {
	ds, err := d.readable(m.Principal, m.ID)
	if err != nil {
		return &messages.SampleReply{Err: err}
	}
	s, serr := d.schema(ds)
	if serr != nil {
		d.log.Error("sample", "err", serr)
		return &messages.SampleReply{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	rows, serr := s.Sample(d.chunkLoader(ds.ID), m.Limit)
	if serr != nil {
		d.log.Error("sample", "id", ds.ID, "err", serr)
		return &messages.SampleReply{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	return &messages.SampleReply{Samples: rows, Total: ds.SampleCount}
}

func (d *datasets) loadTable(m *messages.LoadTable) *messages.TableReply {
	ds, err := d.readable(m.Principal, m.ID)
	if err != nil {
		return &messages.TableReply{Err: err}
	}
	s, serr := d.schema(ds)
	if serr != nil {
		d.log.Error("load table", "err", serr)
		return &messages.TableReply{Err: messages.Errorf(messages.CodeInternal, "storage error")}
	}
	t, labels, terr := s.Table(d.chunkLoader(ds.ID), nil)
	if terr != nil {
		d.log.Error("load table", "id", ds.ID, "err", terr)
		return &messages.TableReply{Err: messages.Errorf(messages.CodeInternal, "read dataset rows: %v", terr)}
	}
	return &messages.TableReply{Data: &messages.TableData{DatasetID: ds.ID, Columns: t.Columns, Rows: t.Rows, Labels: labels}}
}
