# sys.exit codes of children, and of main.
# processes: 4
# exit: 3
import multiprocessing, sys
def leave(code):
    sys.exit(code)
if __name__ == "__main__":
    ps = [multiprocessing.Process(target=leave, args=(c,)) for c in (0, 1, 7)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("codes", [p.exitcode for p in ps])
    sys.exit(3)
