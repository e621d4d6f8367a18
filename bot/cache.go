package bot

import (
	"container/list"
	"crypto/rand"
	"encoding/base32"
	"sync"
	"time"
)

// lru is a bounded map whose entries expire: at most size entries, each
// dropped ttl after it was last stored. It is safe for concurrent use.
type lru[V any] struct {
	mu    sync.Mutex
	size  int
	ttl   time.Duration
	now   func() time.Time
	order *list.List // front: most recently stored
	items map[string]*list.Element
}

type lruEntry[V any] struct {
	key     string
	value   V
	expires time.Time
}

func newLRU[V any](size int, ttl time.Duration, now func() time.Time) *lru[V] {
	if now == nil {
		now = time.Now
	}
	return &lru[V]{size: size, ttl: ttl, now: now, order: list.New(), items: make(map[string]*list.Element)}
}

// Put stores value under key, evicting the least recently stored entries
// beyond the size bound.
func (c *lru[V]) Put(key string, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	exp := c.now().Add(c.ttl)
	if el, ok := c.items[key]; ok {
		el.Value = &lruEntry[V]{key, value, exp}
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&lruEntry[V]{key, value, exp})
	for c.order.Len() > c.size {
		c.remove(c.order.Back())
	}
}

// Get returns the value stored under key, or false when there is none or
// it has expired.
func (c *lru[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	el, ok := c.items[key]
	if !ok {
		return zero, false
	}
	e := el.Value.(*lruEntry[V])
	if !c.now().Before(e.expires) {
		c.remove(el)
		return zero, false
	}
	return e.value, true
}

// Len reports the number of entries held, expired or not.
func (c *lru[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *lru[V]) remove(el *list.Element) {
	c.order.Remove(el)
	delete(c.items, el.Value.(*lruEntry[V]).key)
}

// newID returns a short random identifier for a cache key that travels in
// a button's custom id: 13 characters of base32.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

// Delete removes the entry stored under key, if any.
func (c *lru[V]) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
}
