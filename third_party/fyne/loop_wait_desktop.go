//go:build !wasm && !test_web_driver

package glfw

import "github.com/go-gl/glfw/v3.3/glfw"

// idleWake bounds a sleep of the loop: anything that changed a window without
// queueing a function is still drawn within a second.
const idleWake = 1.0 // seconds

// waitEvents sleeps until a window-system event, an empty event or idleWake.
func (d *gLDriver) waitEvents() {
	glfw.WaitEventsTimeout(idleWake)
}

// postEmptyEvent ends a waitEvents from any thread.
func postEmptyEvent() {
	glfw.PostEmptyEvent()
}
