# A forked child that outlives main.
# processes: 2
import os, time
if os.fork() == 0:
    time.sleep(0.3)
    print(f"orphan pid={os.getpid()} still here")
    os._exit(0)
print("main leaves first")
