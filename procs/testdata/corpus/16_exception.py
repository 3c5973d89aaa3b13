# An exception in a child: a traceback on stderr, exitcode 1.
# processes: 2
import multiprocessing
def boom():
    raise ValueError("bad value in the child")
if __name__ == "__main__":
    p = multiprocessing.Process(target=boom)
    p.start()
    p.join()
    print("exitcode", p.exitcode)
