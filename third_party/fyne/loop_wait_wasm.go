//go:build wasm || test_web_driver

package glfw

import "time"

// waitEvents sleeps one frame: the web driver has no event wait.
func (d *gLDriver) waitEvents() {
	time.Sleep(time.Second / 60)
	d.pollEvents()
}

func postEmptyEvent() {}
