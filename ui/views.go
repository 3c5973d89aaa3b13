package ui

import (
	"proclab/procs"

	"fyne.io/fyne/v2/theme"
)

// Redrawing what depends on the lab's state and the last poll.

// refreshViews redraws what depends on the lab's state and the last poll:
// tree, lane headers, toolbar and status counts.
func (w *labWindow) refreshViews() {
	w.views.ran()
	w.numbers.rest(w.labEmpty.Load())
	w.numbers.tick()
	snaps := make([]procs.Snapshot, 0, len(w.lanePane.byProc))
	for _, p := range w.lab.Processes() {
		if !w.lanePane.cleared[p] {
			snaps = append(snaps, p.Snapshot())
		}
	}
	main := w.lab.Main()
	model := buildTree(snaps, main, w.pid, w.poll, w.lab.Adopted(), w.lab.KeeperPid(), w.lab.Since(), w.flashTime(), w.lab.ThreadName)
	w.addWatched(model)
	w.tree.set(model)
	if w.numbers.isDue() {
		w.cores.show(w.poll, snaps)
	}
	w.timeline.poll(w.lab.Since(), w.poll, snaps)
	w.timeline.pollThreads(w.lab.Since(), w.poll, snaps, w.lab.ThreadName)
	w.showTimeline()

	w.lanePane.main.setHeader(tr("MainProcess · %d · transcript", w.pid), mainLook(main))
	w.lanePane.main.setSelected(w.selected == nil)
	live := 0
	for _, s := range snaps {
		l := w.lanePane.byProc[s.Proc]
		if l == nil {
			continue
		}
		var info *procs.ProcInfo
		if w.poll != nil && s.Status == procs.Started {
			info = w.poll.Procs[s.Pid]
		}
		if s.Status == procs.Started && !s.Zombie {
			live++
		}
		if !l.Visible() {
			continue // out of view (cullLanes): its header is set when it shows, on the next poll
		}
		l.setHeader(labTitle(s, info), lookOf(s, info))
		l.setSelected(s.Proc == w.selected)
	}

	if w.other != nil {
		w.inspector.showOther(w.other.title, w.other.pid, w.pid, main, w.poll)
	} else {
		w.inspector.show(w.selected, w.pid, main, w.poll)
	}

	w.layOutLanes()
	w.cullLanes()

	why := w.whyNot()
	for a, b := range w.buttons {
		if why[a] == "" {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	daemonIcon := theme.CheckButtonIcon()
	if w.selected != nil && w.selected.Daemon() {
		daemonIcon = theme.CheckButtonCheckedIcon()
	}
	if daemon := w.buttons[actDaemon]; daemon.Icon != daemonIcon {
		daemon.SetIcon(daemonIcon)
	}
	info := tr("%d live · main: %s", live, mainWord(main))
	if w.paused.Load() {
		info = tr("paused") + " · " + info
	}
	if w.statusBar.info.Text != info {
		w.statusBar.info.SetText(info)
	}
}
