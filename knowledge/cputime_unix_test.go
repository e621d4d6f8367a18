//go:build unix

package knowledge_test

import (
	"syscall"
	"time"
)

// cpuTime is the user and system CPU time of the process so far: on a
// shared machine it says how much work a build was, whatever its wall
// time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
