//go:build unix

package knowledge

import (
	"os"
	"path/filepath"
	"syscall"
)

// lockGeneration takes the lock that bolt takes on an index's root file,
// without waiting. inUse is true when a process (this one included) has the
// index open; otherwise the caller holds the lock until unlock.
func lockGeneration(bleveDir string) (unlock func(), inUse bool) {
	f, err := os.Open(filepath.Join(bleveDir, "store", "root.bolt"))
	if err != nil {
		return func() {}, false // no root file: a half-built or broken generation
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, true
	}
	return func() { f.Close() }, false
}
