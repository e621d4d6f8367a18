//go:build unix

package main

import (
	"os"
	"syscall"
)

// peakRSSKiB is the peak resident set size of a finished child process.
func peakRSSKiB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss) // KiB on Linux
	}
	return 0
}
