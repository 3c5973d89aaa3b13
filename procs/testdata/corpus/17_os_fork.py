# os.fork and os.waitpid, no multiprocessing.
# processes: 3
import os
kids = []
for i in range(2):
    pid = os.fork()
    if pid == 0:
        print(f"forked pid={os.getpid()} number {i}")
        os._exit(10 + i)
    kids.append(pid)
for pid in kids:
    _, status = os.waitpid(pid, 0)
    print("child ended with", os.WEXITSTATUS(status))
