# A one-megabyte line from a child.
# processes: 2
import multiprocessing
def long():
    print("x" * (1 << 20))
    print("after the long line")
if __name__ == "__main__":
    p = multiprocessing.Process(target=long)
    p.start()
    p.join()
