# Workers meeting at a Barrier.
# processes: 4
import multiprocessing, os
def meet(b):
    print(f"pid={os.getpid()} waiting", flush=True)
    b.wait()
    print(f"pid={os.getpid()} through", flush=True)
if __name__ == "__main__":
    b = multiprocessing.Barrier(3)
    ps = [multiprocessing.Process(target=meet, args=(b,)) for _ in range(3)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("all through")
