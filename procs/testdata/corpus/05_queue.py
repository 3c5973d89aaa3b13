# A producer and a consumer over a Queue.
# processes: 3
# python: 3.8
import multiprocessing, os
def produce(q):
    for i in range(20):
        q.put(i)
    q.put(None)
    print(f"producer pid={os.getpid()} done")
def consume(q):
    total = 0
    while (item := q.get()) is not None:
        total += item
    print(f"consumer pid={os.getpid()} total {total}")
if __name__ == "__main__":
    q = multiprocessing.Queue()
    ps = [multiprocessing.Process(target=produce, args=(q,)), multiprocessing.Process(target=consume, args=(q,))]
    for p in ps: p.start()
    for p in ps: p.join()
    print("codes", [p.exitcode for p in ps])
