package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// userLimiter holds one token bucket per user. Entries idle long enough to
// have refilled completely are evicted, which loses nothing (a fresh bucket
// is full too); the map is also capped at max entries. Safe for concurrent
// use.
type userLimiter struct {
	limit rate.Limit
	burst int
	max   int
	now   func() time.Time

	mu        sync.Mutex
	users     map[string]*userBucket
	lastSweep time.Time
}

type userBucket struct {
	lim        *rate.Limiter
	lastSeen   time.Time
	quietUntil time.Time // no new notice before then
}

// newUserLimiter allows each user perMinute requests a minute with bursts
// of burst. perMinute <= 0 disables limiting.
func newUserLimiter(perMinute float64, burst int, now func() time.Time) *userLimiter {
	if now == nil {
		now = time.Now
	}
	if burst < 1 {
		burst = 1
	}
	return &userLimiter{
		limit: rate.Limit(perMinute / 60),
		burst: burst,
		max:   100_000,
		now:   now,
		users: make(map[string]*userBucket),
	}
}

// Allow reports whether user may make a request now. When not, retry is
// how long until they may, and notify is true only for the first refusal
// in that wait, so that a notice is not repeated to someone who keeps
// trying.
func (l *userLimiter) Allow(user string) (ok bool, retry time.Duration, notify bool) {
	if l.limit <= 0 {
		return true, 0, false
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, found := l.users[user]
	if !found {
		b = &userBucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.users[user] = b
	}
	b.lastSeen = now
	r := b.lim.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	if delay == 0 {
		return true, 0, false
	}
	r.CancelAt(now)
	notify = !now.Before(b.quietUntil)
	if notify {
		b.quietUntil = now.Add(delay)
	}
	return false, delay, notify
}

// refill is how long an idle bucket takes to become full again.
func (l *userLimiter) refill() time.Duration {
	return time.Duration(float64(l.burst) / float64(l.limit) * float64(time.Second))
}

// sweep evicts full buckets at most once a minute, and arbitrary ones when
// the map is over its cap.
func (l *userLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute && len(l.users) < l.max {
		return
	}
	l.lastSweep = now
	idle := l.refill()
	for id, b := range l.users {
		if now.Sub(b.lastSeen) >= idle {
			delete(l.users, id)
		}
	}
	for id := range l.users {
		if len(l.users) < l.max {
			break
		}
		delete(l.users, id)
	}
}

// Len reports the number of users tracked.
func (l *userLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}
