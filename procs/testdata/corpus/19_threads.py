# Threads inside one process print in its lane.
# processes: 1
import threading, os
def work(n):
    print(f"thread {n} pid={os.getpid()}")
ts = [threading.Thread(target=work, args=(n,)) for n in range(5)]
for t in ts: t.start()
for t in ts: t.join()
print("threads done")
