package selftest

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Load runs the correctness checks over and over on several goroutines at
// once until d of virtual time has passed, with a churning allocator beside
// them. The first failure ends it. Checks of timing and of memory returned
// (named in skip) need a quiet machine, so they run only before the load.
func Load(clock Clock, d time.Duration, checks []Check) error {
	skip := map[string]bool{"gc-returns-memory": true, "sleep": true, "ticker": true, "select-timers": true,
		"wait-irq":       true, // one waiter per interrupt
		"cpu-accounting": true}
	end := clock() + d
	var (
		mu    sync.Mutex
		first error
		runs  int
		wg    sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
		}
	}
	for _, c := range checks {
		if skip[c.Name] {
			continue
		}
		wg.Add(1)
		go func(c Check) {
			defer wg.Done()
			for clock() < end {
				if err := c.Run(); err != nil {
					fail(fmt.Errorf("%s under load: %w", c.Name, err))
					return
				}
				mu.Lock()
				runs++
				mu.Unlock()
			}
		}(c)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for clock() < end {
			Churn(32<<20, uint64(clock()))
		}
	}()
	wg.Wait()
	if first != nil {
		return first
	}
	if runs == 0 {
		return errors.New("no check completed under load")
	}
	return nil
}
