package actors

import (
	"slices"
	"time"

	"github.com/topoforge/topoforge/messages"
)

// canRead reports whether p may read an entity owned by owner: its owner, admins, and viewers
// (a read-only role that sees everything).
func canRead(p messages.Principal, owner string) bool {
	return p.Role == messages.RoleAdmin || p.Role == messages.RoleViewer || p.UserID == owner
}

// canWrite reports whether p may change an entity owned by owner: its owner (unless a viewer)
// and admins.
func canWrite(p messages.Principal, owner string) bool {
	return p.Role == messages.RoleAdmin || (p.Role == messages.RoleUser && p.UserID == owner)
}

// accessErr is the reply when p may not read (or write) an entity: 403 naming the entity.
func accessErr(kind, id string) *messages.Error {
	return messages.Errorf(messages.CodeForbidden, "%s %s belongs to another user", kind, id)
}

// sortStrings sorts ids in place, for deterministic output.
func sortStrings(ids []string) { slices.Sort(ids) }

// slicesSortFunc is slices.SortFunc, named for the generic call sites in this package.
func slicesSortFunc[T any](s []T, cmp func(a, b T) int) { slices.SortFunc(s, cmp) }

// listPage returns the items p may read (see canRead), newest first (ties by ID), as the page
// [offset, offset+limit), and how many there are in all. meta gives an item's owner, ID and
// creation time.
func listPage[T any](items map[string]*T, p messages.Principal, meta func(*T) (owner, id string, created time.Time), offset, limit int) ([]T, int) {
	all := make([]*T, 0, len(items))
	for _, it := range items {
		if owner, _, _ := meta(it); canRead(p, owner) {
			all = append(all, it)
		}
	}
	slices.SortFunc(all, func(a, b *T) int {
		_, ida, ta := meta(a)
		_, idb, tb := meta(b)
		return -cmpTimeID(ta, tb, ida, idb)
	})
	page := []T{}
	for i := offset; i < len(all) && i < offset+limit; i++ {
		page = append(page, *all[i])
	}
	return page, len(all)
}

// lookup finds entity id of the given kind in items and checks that p may read it (or write it,
// when write is set): 404 when it does not exist, 403 when it belongs to someone else.
func lookup[T any](items map[string]*T, owner func(*T) string, p messages.Principal, kind, id string, write bool) (*T, *messages.Error) {
	it, ok := items[id]
	if !ok {
		return nil, messages.Errorf(messages.CodeNotFound, "%s %s not found", kind, id)
	}
	if (write && !canWrite(p, owner(it))) || (!write && !canRead(p, owner(it))) {
		return nil, accessErr(kind, id)
	}
	return it, nil
}
