# os.kill with SIGKILL: exitcode -9.
# processes: 2
import multiprocessing, os, signal, time
def forever():
    while True:
        time.sleep(0.05)
if __name__ == "__main__":
    p = multiprocessing.Process(target=forever)
    p.start()
    time.sleep(0.2)
    os.kill(p.pid, signal.SIGKILL)
    p.join()
    print("exitcode", p.exitcode)
