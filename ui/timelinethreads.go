package ui

import (
	"slices"
	"time"

	"proclab/procs"
)

// A process's threads on the timeline: while the tree shows them (Ctrl+H,
// a lesson on threads), each has a sub-lane under its process's lane, its
// state over time from each poll: two threads under the GIL take turns at
// running, two processes run side by side.

// threadLanes are the sub-lanes of one process's threads.
type threadLanes struct {
	byThread map[threadID]*swimlane
}

type threadID struct {
	tid   int
	start uint64
}

// maxThreadLanes bounds the sub-lanes of one process: the first threads
// seen get them.
const maxThreadLanes = 16

// pollThreads records the state of each shown thread of the lab's
// processes; a thread no longer seen (ended, or hidden) ends its lane.
func (t *timeline) pollThreads(now time.Duration, tree *procs.Tree, lab []procs.Snapshot, names func(pid, tid int) (string, bool)) {
	if tree == nil {
		return
	}
	if t.threadsOf == nil {
		t.threadsOf = map[*procs.Process]*threadLanes{}
	}
	for _, s := range lab {
		var info *procs.ProcInfo
		if s.Status == procs.Started && !s.Zombie {
			info = tree.Procs[s.Pid]
		}
		lanes := t.threadsOf[s.Proc]
		if lanes == nil && (info == nil || info.ThreadList == nil) {
			continue
		}
		if lanes == nil {
			lanes = &threadLanes{byThread: map[threadID]*swimlane{}}
			t.threadsOf[s.Proc] = lanes
		}
		seen := map[threadID]bool{}
		if info != nil {
			for _, th := range info.ThreadList {
				id := threadID{th.TID, th.StartTime}
				seen[id] = true
				name, ok := names(s.Pid, th.TID)
				if !ok {
					name = "{" + procs.Printable(th.Name) + "}"
				}
				name = "  ↳ " + name
				lane := lanes.byThread[id]
				switch {
				case lane == nil && len(lanes.byThread) >= maxThreadLanes:
					continue
				case lane == nil:
					parent := t.lane(s.Proc)
					lane = &swimlane{name: name, tint: parent.tint}
					lanes.byThread[id] = lane
					t.insertBelow(parent, lanes, lane)
				case lane.name != name:
					// Its name came later (the hook's, or the program's
					// exec), or the thread renamed itself.
					lane.name = name
					t.namesFor = [3]float32{}
				}
				state := th.State
				if state == 'D' || state == 'I' {
					state = 'S'
				}
				lane.setState(now, state)
			}
		}
		for id, lane := range lanes.byThread {
			if !seen[id] && !lane.ended {
				lane.end(now)
				lane.ended = true
			} else if seen[id] {
				lane.ended = false
			}
		}
	}
}

// insertBelow puts lane under parent's lane, after the sub-lanes it has:
// they are inserted there one after the other, so they follow it in a
// block (lanes holds lane already).
func (t *timeline) insertBelow(parent *swimlane, lanes *threadLanes, lane *swimlane) {
	i := slices.Index(t.lanes, parent)
	if i < 0 {
		t.lanes = append(t.lanes, lane)
		return
	}
	t.lanes = slices.Insert(t.lanes, i+len(lanes.byThread), lane)
}
