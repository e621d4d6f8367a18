package feedback

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse records, votes and reads gaps from many goroutines at
// once, as the bot does: nothing fails with "database is locked" and every
// answer is counted.
func TestConcurrentUse(t *testing.T) {
	s := mustOpen(t, testConfig(t, newClock(t0), &logs{}))
	ctx := context.Background()
	const workers, each = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id, err := s.RecordAnswer(ctx, Record{Command: "ask", UserID: strconv.Itoa(w), Question: "Who is Lu Wei?", Abstained: true})
				if err != nil {
					errs <- err
					continue
				}
				if err := s.Vote(ctx, "", id, strconv.Itoa(i), i%2 == 0); err != nil {
					errs <- err
				}
				if _, err := s.Gaps(ctx, "", t0.Add(-time.Hour), 5); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	gaps, err := s.Gaps(ctx, "", t0.Add(-time.Hour), 0)
	if err != nil || len(gaps) != 1 || gaps[0].Asked != workers*each || gaps[0].Up+gaps[0].Down != workers*each {
		t.Errorf("Gaps() = %+v, %v; want one question asked and voted on %d times", gaps, err, workers*each)
	}
}
