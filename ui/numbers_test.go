package ui

import (
	"testing"
	"time"
)

func TestNumbersClockRestsWhileTheLabIsEmpty(t *testing.T) {
	var c numbersClock
	c.rest(true)
	c.tick()
	if !c.isDue() {
		t.Fatal("the first pass of an empty lab shows no figures")
	}
	c.at = time.Now().Add(-2 * time.Second)
	c.tick()
	if c.isDue() {
		t.Fatalf("an empty lab showed its figures 2 s after the last, not every %v", restInterval)
	}
	c.at = time.Now().Add(-restInterval)
	c.tick()
	if !c.isDue() {
		t.Fatalf("an empty lab did not show its figures after %v", restInterval)
	}
	c.rest(false) // the lab's first process
	c.tick()
	if !c.isDue() {
		t.Fatal("the lab's first process did not bring the figures at once")
	}
	c.at = time.Now().Add(-numbersInterval)
	c.tick()
	if !c.isDue() {
		t.Fatalf("a lab with processes did not show its figures after %v", numbersInterval)
	}
	c.rest(false)
	c.tick()
	if c.isDue() {
		t.Fatal("a busy lab showed its figures twice in one interval")
	}
}
