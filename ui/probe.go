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
	max     time.Duration
	samples int
}

func startUIProbe(ctx context.Context) *uiProbe {
	p := &uiProbe{}
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
				p.record(time.Since(queued))
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

func (p *uiProbe) record(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.samples++
	p.max = max(p.max, d)
}

func (p *uiProbe) write(w io.Writer, logPath string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{
		"max_ui_wait_ms": float64(p.max.Microseconds()) / 1000,
		"samples":        p.samples,
		"log":            logPath,
	})
}
