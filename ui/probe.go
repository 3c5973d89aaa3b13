package ui

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// uiProbe measures how long work waits for the UI goroutine: every 20 ms
// it queues a no-op with fyne.Do and records how late it ran. The UI
// goroutine also draws the frames, so the longest wait bounds the longest
// gap between frames. Used by `proclab bench`.
type uiProbe struct {
	mu      sync.Mutex
	start   time.Time
	max     time.Duration
	maxAt   time.Duration // since the probe began, when the longest wait began
	samples int
	slow    int // waits of 100 ms or more
	// settledMax is the longest wait from 10 s in: a preload of hundreds of
	// children stalls the first seconds, and what a key press meets after
	// that is what this says.
	settledMax time.Duration
}

// settleAfter is when the probe starts counting settledMax.
const settleAfter = 10 * time.Second

func startUIProbe(ctx context.Context) *uiProbe {
	p := &uiProbe{start: time.Now()}
	go func() {
		// The first seconds are start-up: fonts load, the window maps.
		select {
		case <-time.After(3 * time.Second):
		case <-ctx.Done():
			return
		}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			queued := time.Now()
			done := make(chan struct{})
			fyne.Do(func() {
				p.record(queued)
				close(done)
			})
			select {
			case <-done:
			case <-ctx.Done():
				return
			}
		}
	}()
	return p
}

func (p *uiProbe) record(queued time.Time) {
	d := time.Since(queued)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.samples++
	if d >= 100*time.Millisecond {
		p.slow++
	}
	if d > p.max {
		p.max, p.maxAt = d, queued.Sub(p.start)
	}
	if queued.Sub(p.start) >= settleAfter && d > p.settledMax {
		p.settledMax = d
	}
}

func (p *uiProbe) write(w io.Writer, logPath string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{
		"max_ui_wait_ms":           float64(p.max.Microseconds()) / 1000,
		"max_ui_wait_at_s":         p.maxAt.Seconds(),
		"slow_waits":               p.slow,
		"max_ui_wait_after_10s_ms": float64(p.settledMax.Microseconds()) / 1000,
		"samples":                  p.samples,
		"log":                      logPath,
	})
}
