# A shared Value counted up under a Lock.
# processes: 5
import multiprocessing
def add(v, lock):
    for _ in range(200):
        with lock:
            v.value += 1
if __name__ == "__main__":
    v, lock = multiprocessing.Value("i", 0), multiprocessing.Lock()
    ps = [multiprocessing.Process(target=add, args=(v, lock)) for _ in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
    print("value", v.value)
