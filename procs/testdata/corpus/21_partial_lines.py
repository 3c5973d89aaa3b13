# Text printed without newline, flushed, then finished.
# compare: text
# processes: 2
import multiprocessing
def dots():
    for _ in range(5):
        print(".", end="", flush=True)
    print(" done")
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    print("starting workers...", end="", flush=True)
    p = multiprocessing.Process(target=dots)
    p.start()
    p.join()
    print(" all done")
