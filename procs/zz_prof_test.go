package procs

import "testing"

func TestZZProfileLines(t *testing.T) {
	py := needPython(t)
	lab := newLab(t)
	for range 3 {
		runProgram(t, lab, py, "-c", `
import multiprocessing
def lines(who):
    for i in range(100000):
        print(who, i)
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    p = multiprocessing.Process(target=lines, args=("child",))
    p.start()
    lines("main")
    p.join()
`)
	}
}
