# A Pool that replaces its workers from its handler thread.
import multiprocessing
def f(x):
    return x + 1
if __name__ == "__main__":
    with multiprocessing.Pool(2, maxtasksperchild=2) as pool:
        print("total", sum(pool.map(f, range(30), chunksize=1)))
